using System.Text.RegularExpressions;

namespace Conduit.Pipeline.Steps.Containers;

/// <summary>Checks image references and splits them into what <c>POST /images/create</c> takes as fromImage and tag.</summary>
public static partial class ImageReference
{
    /// <summary>
    /// Returns <paramref name="image"/> when it is made of the characters an image reference may hold (registry,
    /// path, tag, digest); it then goes into a URL path unescaped, as the engine expects.
    /// </summary>
    public static string Validate(string image) =>
        image is { Length: > 0 and <= 255 } && Allowed().IsMatch(image)
            ? image
            : throw new ArgumentException($"'{image}' is not a valid image reference.", nameof(image));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")]
    private static partial Regex Allowed();

    /// <summary>
    /// "registry:5000/team/seg:1.2" → ("registry:5000/team/seg", "1.2"); "seg" → ("seg", "latest");
    /// a digest reference ("seg@sha256:…") is passed whole, with no tag.
    /// </summary>
    public static (string Repository, string? Tag) Split(string image)
    {
        Validate(image);
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return (image, null);
        }
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
