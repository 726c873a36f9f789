using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Pdu;
using Conduit.Dicom.Network.Scp;
using Conduit.Dicom.Network.Tests.Support;
using static Conduit.Dicom.Network.Tests.Support.TestDicom;

namespace Conduit.Dicom.Network.Tests.Scp;

/// <summary>The SCP's negotiation: every refusal a request can meet, and what an accepted request is answered.</summary>
public class ScpAssociationTests
{
    [Fact]
    public async Task UnknownAbstractSyntaxIsRejectedPerContextWhileAnotherIsAccepted()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        var ac = peer.Associate(Request(contexts: [new(1, CtImageStorage, [ExplicitLE]), new(3, "1.2.3.999.1", [ExplicitLE]), new(5, DicomUids.Verification, [ImplicitLE])]));
        Assert.Equal(PresentationContextResult.Acceptance, ac.PresentationContexts.Single(c => c.Id == 1).Result);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, ac.PresentationContexts.Single(c => c.Id == 3).Result);
        // The association goes on: an echo on the Verification context succeeds.
        peer.SendCommand(5, DicomCommand.CreateEchoRequest(1));
        Assert.True(peer.ReadCommand().Status.IsSuccess);
        peer.Send(ReleaseRequestPdu.Instance);
        Assert.IsType<ReleaseResponsePdu>(peer.ReadPdu());
    }

    [Fact]
    public async Task DefaultPolicyKeepsAProposedCompressedSyntaxAndUncompressedOnlyRefusesIt()
    {
        var jpeg = DicomTransferSyntax.JPEGBaseline8Bit.Uid;
        await using (var scp = new ScpFixture())
        {
            using var peer = scp.Connect();
            var ac = peer.Associate(Request(contexts: [new(1, CtImageStorage, [ImplicitLE, jpeg, ExplicitLE])]));
            Assert.Equal(jpeg, ac.PresentationContexts[0].TransferSyntax);
        }
        await using (var scp = new ScpFixture(o => o.TransferSyntaxPolicy = TransferSyntaxPolicy.UncompressedOnly))
        {
            using var peer = scp.Connect();
            var ac = peer.Associate(Request(contexts: [new(1, CtImageStorage, [jpeg]), new(3, CtImageStorage, [ImplicitLE, jpeg, ExplicitLE])]));
            Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, ac.PresentationContexts[0].Result);
            Assert.Equal(ExplicitLE, ac.PresentationContexts[1].TransferSyntax);
        }
    }

    [Fact]
    public async Task TheAssociationOverTheLimitGetsATransientLocalLimitRejection()
    {
        await using var scp = new ScpFixture(o => o.MaxAssociations = 1);
        using var first = scp.Connect();
        first.Associate(Request());
        using var second = scp.Connect();
        second.Send(Request());
        var rj = Assert.IsType<AssociateRejectPdu>(second.ReadPdu());
        Assert.Equal((RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded), (rj.Result, rj.Source, rj.Reason));

        // Once the first is released and closed, its slot is free again.
        first.Send(ReleaseRequestPdu.Instance);
        Assert.IsType<ReleaseResponsePdu>(first.ReadPdu());
        first.Dispose();
        var accepted = false;
        for (var attempt = 0; attempt < 100 && !accepted; attempt++)
        {
            using var next = scp.Connect();
            next.Send(Request());
            accepted = next.ReadPdu() is AssociateAcceptPdu;
            if (!accepted) await Task.Delay(50);
        }
        Assert.True(accepted);
    }

    [Fact]
    public async Task AWrongCalledAeTitleIsRejectedPermanently()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Send(Request(called: "SOMEONE"));
        var rj = Assert.IsType<AssociateRejectPdu>(peer.ReadPdu());
        Assert.Equal((RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized), (rj.Result, rj.Source, rj.Reason));
    }

    [Theory]
    [InlineData("GOOD@127.0.0.1", "GOOD", true)]
    [InlineData("GOOD@127.0.0.1", "BAD", false)]
    [InlineData("GOOD@10.9.9.9", "GOOD", false)]
    [InlineData("GOOD", "GOOD", true)]
    public async Task TheCallingAeAllowListChecksTitleAndHost(string rule, string calling, bool accepted)
    {
        await using var scp = new ScpFixture(o => o.AllowedCallingAeTitles = [CallingAeRule.Parse(rule)]);
        using var peer = scp.Connect();
        peer.Send(Request(calling: calling));
        var answer = peer.ReadPdu();
        if (accepted)
        {
            Assert.IsType<AssociateAcceptPdu>(answer);
            return;
        }
        var rj = Assert.IsType<AssociateRejectPdu>(answer);
        Assert.Equal((RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized), (rj.Result, rj.Source, rj.Reason));
    }

    private sealed class PasswordCheck : IUserIdentityValidator
    {
        public ValueTask<UserIdentityResult> ValidateAsync(AssociationRequestInfo request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(request.UserIdentity is { Type: UserIdentityType.UsernameAndPasscode } id && id.PrimaryText == "alice" && id.SecondaryText == "s3cret"
                ? UserIdentityResult.Accept()
                : UserIdentityResult.Reject("unknown user or wrong passcode"));
    }

    [Theory]
    [InlineData("alice", "s3cret", true)]
    [InlineData("alice", "wrong", false)]
    [InlineData("mallory", null, false)]
    public async Task UserIdentityIsCheckedByThePluggableValidator(string user, string? passcode, bool accepted)
    {
        await using var scp = new ScpFixture(o => o.UserIdentityValidator = new PasswordCheck());
        using var peer = scp.Connect();
        var rq = Request();
        rq.UserInformation.UserIdentity = UserIdentityRequest.ForUsername(user, passcode, positiveResponseRequested: true);
        peer.Send(rq);
        var answer = peer.ReadPdu();
        if (accepted)
        {
            var ac = Assert.IsType<AssociateAcceptPdu>(answer);
            Assert.NotNull(ac.UserInformation.UserIdentityServerResponse); // PS3.7 §D.3.3.7.2: positive response asked for
            return;
        }
        var rj = Assert.IsType<AssociateRejectPdu>(answer);
        Assert.Equal((RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.NoReasonGiven), (rj.Result, rj.Source, rj.Reason));
    }

    [Fact]
    public async Task AsyncWindowIsAnsweredOneOneAndRoleSelectionAsScuOnly()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        var rq = Request();
        rq.UserInformation.AsynchronousOperationsWindow = new(10, 10);
        rq.UserInformation.RoleSelections.Add(new RoleSelection(CtImageStorage, ScuRole: true, ScpRole: true));
        var ac = peer.Associate(rq);
        Assert.Equal(new AsynchronousOperationsWindow(1, 1), ac.UserInformation.AsynchronousOperationsWindow);
        Assert.Equal(new RoleSelection(CtImageStorage, true, false), Assert.Single(ac.UserInformation.RoleSelections));
        Assert.Equal(StoreScpOptions.DefaultMaxPduLength, ac.UserInformation.MaxPduLength);
    }

    private sealed class Refuse : IAssociationAdmission
    {
        public ValueTask<AssociationRejection?> AdmitAsync(AssociationRequestInfo request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<AssociationRejection?>(AssociationRejection.TemporaryCongestion("disk full"));
    }

    [Fact]
    public async Task TheAdmissionHookCanRefuseWithATransientRejection()
    {
        await using var scp = new ScpFixture(o => o.Admission = new Refuse());
        using var peer = scp.Connect();
        peer.Send(Request());
        var rj = Assert.IsType<AssociateRejectPdu>(peer.ReadPdu());
        Assert.Equal((RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.TemporaryCongestion), (rj.Result, rj.Source, rj.Reason));
    }

    [Fact]
    public async Task ArtimExpiryClosesAConnectionThatNeverSendsARequest()
    {
        await using var scp = new ScpFixture(o => o.ArtimTimeout = TimeSpan.FromMilliseconds(300));
        using var peer = scp.Connect();
        Assert.True(peer.WaitForClose());
    }

    [Fact]
    public async Task ArtimExpiryClosesAfterARejectionThePeerDoesNotClose()
    {
        await using var scp = new ScpFixture(o => o.ArtimTimeout = TimeSpan.FromMilliseconds(300));
        using var peer = scp.Connect();
        peer.Send(Request(called: "WRONG"));
        Assert.IsType<AssociateRejectPdu>(peer.ReadPdu());
        Assert.True(peer.WaitForClose());
    }

    [Fact]
    public async Task AnIdlePeerIsAborted()
    {
        await using var scp = new ScpFixture(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        using var peer = scp.Connect();
        peer.Associate(Request());
        var abort = Assert.IsType<AbortPdu>(peer.ReadPdu());
        Assert.Equal(AbortSource.ServiceProvider, abort.Source);
        Assert.True(peer.WaitForClose());
    }

    [Fact]
    public async Task GarbageInsteadOfARequestIsAbortedAsAnUnrecognizedPdu()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var abort = Assert.IsType<AbortPdu>(peer.ReadPdu());
        Assert.Equal((AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu), (abort.Source, abort.Reason));
    }

    [Fact]
    public async Task APDataBeforeTheAssociationIsAnUnexpectedPdu()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.SendCommand(1, DicomCommand.CreateEchoRequest(1));
        var abort = Assert.IsType<AbortPdu>(peer.ReadPdu());
        Assert.Equal(AbortReason.UnexpectedPdu, abort.Reason);
    }

    [Fact]
    public async Task A4GBPduLengthIsAbortedAtOnce()
    {
        await using var scp = new ScpFixture();
        using var peer = scp.Connect();
        peer.Associate(Request());
        peer.Send([0x04, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]); // P-DATA-TF header declaring 4 GB, and nothing after it
        var abort = Assert.IsType<AbortPdu>(peer.ReadPdu());
        Assert.Equal(AbortReason.InvalidPduParameterValue, abort.Reason);
    }

    [Fact]
    public async Task StrictModeAbortsAPduLongerThanAdvertised()
    {
        await using var scp = new ScpFixture(o => { o.MaxPduLength = 4096; o.StrictPduLength = true; });
        using var peer = scp.Connect();
        peer.Associate(Request());
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(1, CtImageStorage, "1.2.3.4.5.6"));
        peer.SendDataset(1, Dataset("1.2.3.4.5.6", pixelBytes: 8000), fragment: 8000);
        Assert.IsType<AbortPdu>(peer.ReadPdu());
    }

    [Fact]
    public async Task LenientModeAcceptsAPduLongerThanAdvertised()
    {
        await using var scp = new ScpFixture(o => o.MaxPduLength = 4096);
        using var peer = scp.Connect();
        peer.Associate(Request());
        peer.SendCommand(1, DicomCommand.CreateStoreRequest(1, CtImageStorage, "1.2.3.4.5.6"));
        peer.SendDataset(1, Dataset("1.2.3.4.5.6", pixelBytes: 8000), fragment: 8000);
        Assert.True(peer.ReadCommand().Status.IsSuccess);
    }
}
