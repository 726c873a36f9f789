using Conduit.Pipeline.Store;

namespace Conduit.DicomWeb;

/// <summary>
/// WADO-RS instance retrieval (PS3.18 §10.4): the stored Part 10 files of a study, a series or one instance as
/// <c>multipart/related; type="application/dicom"</c>, each file streamed from disk byte for byte.
/// </summary>
internal static class WadoEndpoint
{
    public static async Task<IResult> RetrieveAsync(HttpContext context, IInstanceStore store, IInstanceFileLayout layout,
        string study, string? series, string? sop, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredInstance> instances;
        if (sop is not null)
        {
            var one = await store.GetInstanceAsync(sop, cancellationToken);
            instances = one is not null && one.StudyInstanceUid == study && one.SeriesInstanceUid == series ? [one] : [];
        }
        else
        {
            instances = await store.ListStudyInstancesAsync(study, series, cancellationToken);
        }
        if (instances.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No stored instance under {context.Request.Path}.");
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !AcceptsDicom(accept))
            return TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable",
                detail: "Only multipart/related; type=\"application/dicom\" in the stored transfer syntax is offered.");
        return new MultipartDicomResult(instances.Select(i => layout.Resolve(i.Path)).ToList());
    }

    private static bool AcceptsDicom(string accept) =>
        accept.Contains("*/*", StringComparison.Ordinal) || accept.Contains("multipart/related", StringComparison.OrdinalIgnoreCase)
        || accept.Contains("application/dicom", StringComparison.OrdinalIgnoreCase);

    private sealed class MultipartDicomResult(IReadOnlyList<string> files) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var boundary = Guid.NewGuid().ToString("N");
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = $"multipart/related; type=\"application/dicom\"; boundary={boundary}";
            var body = response.Body;
            var token = httpContext.RequestAborted;
            // RFC 2046 §5.1.1: each part opens with CRLF--boundary (the first CRLF may be left out), the end is --boundary--.
            foreach (var file in files)
            {
                await WriteAsync(body, $"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n", token);
                await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                    await stream.CopyToAsync(body, token);
                await WriteAsync(body, "\r\n", token);
            }
            await WriteAsync(body, $"--{boundary}--\r\n", token);
        }

        private static ValueTask WriteAsync(Stream body, string text, CancellationToken token) =>
            body.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), token);
    }
}
