namespace XcatImageBuild.Packimage;

/// <summary>
/// Maps an absolute path inside a root image to the file on disk as the image itself would see it — symbolic links
/// resolved against the image's root, as in a chroot — so writing <c>/etc/shadow</c> of an image whose <c>etc</c> is a
/// link to <c>/etc</c> changes the image, never the management node.
/// </summary>
public sealed class RootImagePath
{
    private const int MaximumLinks = 40;

    public RootImagePath(string rootImageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootImageDirectory);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootImageDirectory));
    }

    /// <summary>The image's root directory on disk.</summary>
    public string Root { get; }

    /// <summary>
    /// The on-disk path of <paramref name="imagePath"/>. Every symbolic link on the way is followed inside the image;
    /// the last component is followed only when <paramref name="followLast"/> is set.
    /// </summary>
    /// <exception cref="XcatException">Links loop.</exception>
    public string Map(string imagePath, bool followLast = true)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        var pending = new Stack<string>(imagePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = Physical(resolved.Append(part));
            var target = (pending.Count > 0 || followLast) ? new FileInfo(candidate).LinkTarget : null;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaximumLinks)
            {
                throw new XcatException($"Too many levels of symbolic links in {imagePath} inside the image {Root}.");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var step in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(step);
            }
        }

        return Physical(resolved);
    }

    private string Physical(IEnumerable<string> parts)
    {
        var relative = string.Join('/', parts);
        return relative.Length == 0 ? Root : Root + "/" + relative;
    }
}
