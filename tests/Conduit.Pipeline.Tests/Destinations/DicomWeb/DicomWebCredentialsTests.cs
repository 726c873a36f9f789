using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Orchestration;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

public sealed class DicomWebCredentialsTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["ORTHANC_PW"] = "pässword", ["TOKEN"] = "abc.def" };

    private static (System.Net.Http.Headers.AuthenticationHeaderValue? Header, string Description, string? Problem) Resolve(DicomWebAuth auth) =>
        DicomWebCredentials.Resolve(auth, name => Environment.GetValueOrDefault(name));

    [Fact]
    public void Basic_credentials_take_the_password_from_the_environment_as_RFC_7617_says()
    {
        var (header, description, problem) = Resolve(new DicomWebAuth(DicomWebAuthKind.Basic, "conduit", PasswordEnvironmentVariable: "ORTHANC_PW"));

        Assert.Null(problem);
        Assert.Equal("Basic", header!.Scheme);
        Assert.Equal("conduit:pässword", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)));
        Assert.Equal("basic auth as user 'conduit'", description);
        Assert.DoesNotContain("pässword", description);
    }

    [Fact]
    public void A_bearer_token_is_sent_as_is_and_an_unset_variable_is_a_clear_problem()
    {
        Assert.Equal("Bearer abc.def", Resolve(new DicomWebAuth(DicomWebAuthKind.Bearer, TokenEnvironmentVariable: "TOKEN")).Header!.ToString());
        Assert.Equal("Bearer inline", Resolve(new DicomWebAuth(DicomWebAuthKind.Bearer, Token: "inline")).Header!.ToString());

        var (header, _, problem) = Resolve(new DicomWebAuth(DicomWebAuthKind.Basic, "conduit", PasswordEnvironmentVariable: "MISSING_PW"));
        Assert.Null(header);
        Assert.Equal("environment variable MISSING_PW (the destination's password_env) is not set in conduit's environment; set it and restart, then retry the job", problem);
    }
}
