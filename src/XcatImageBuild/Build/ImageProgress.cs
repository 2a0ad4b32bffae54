using XcatImageBuild.Progress;

namespace XcatImageBuild.Build;

/// <summary>Passes a stage's progress on with the image it works on filled in.</summary>
internal sealed class ImageProgress : IProgressSink
{
    private readonly IProgressSink _inner;
    private readonly string _image;

    public ImageProgress(IProgressSink inner, string image)
    {
        _inner = inner;
        _image = image;
    }

    public void Report(ProgressEvent progress) => _inner.Report(progress.Image is null ? progress with { Image = _image } : progress);

    public void Info(string message) => _inner.Info(message);

    public void Warning(string message) => _inner.Warning(message);
}
