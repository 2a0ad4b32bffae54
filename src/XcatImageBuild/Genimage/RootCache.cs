namespace XcatImageBuild.Genimage;

/// <summary>
/// The root as it stood after the package passes, kept beside the image in <c>&lt;rootimgdir&gt;/.xcatimg-cache/</c>
/// under the key of what those passes read. A build whose package inputs are unchanged copies it back instead of
/// installing again, so a postinstall edit reruns only the postinstall and what follows. Copies keep owners, modes,
/// hard links, device nodes and extended attributes (<c>cp -a</c>); removing a root never crosses into a file system
/// mounted below it. Living inside the image directory, the cache goes with the image (rmimage).
/// </summary>
public sealed class RootCache
{
    /// <summary>The cache directory's name inside the image directory.</summary>
    public const string DirectoryName = ".xcatimg-cache";

    private readonly GenimageContext _image;

    public RootCache(GenimageContext image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _image = image;
    }

    /// <summary>The cache directory.</summary>
    public string Directory => Path.Combine(_image.ImageDirectory, DirectoryName);

    private string KeyFile => Path.Combine(Directory, "packages.key");

    private string CachedRoot => Path.Combine(Directory, "rootimg");

    /// <summary>Whether the cache holds a root kept under <paramref name="key"/>.</summary>
    public bool Holds(string key) =>
        File.Exists(KeyFile) && File.ReadAllText(KeyFile).Trim() == key && System.IO.Directory.Exists(CachedRoot);

    /// <summary>Replaces the image's root with the kept one.</summary>
    public void Restore()
    {
        RemoveRoot();
        _image.Progress.Info($"genimage: the package passes' inputs are unchanged; the root after them is restored from {CachedRoot}");
        Copy(CachedRoot, _image.RootDirectory);
    }

    /// <summary>Keeps the image's root under <paramref name="key"/>, replacing what the cache held.</summary>
    public void Save(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        System.IO.Directory.CreateDirectory(Directory);
        // The key goes first and comes back last: a copy cut short is never taken for a complete one.
        File.Delete(KeyFile);
        var partial = CachedRoot + ".partial";
        Remove(partial);
        Copy(_image.RootDirectory, partial);
        Remove(CachedRoot);
        System.IO.Directory.Move(partial, CachedRoot);
        File.WriteAllText(KeyFile, key + "\n");
    }

    /// <summary>Removes the image's root, so the package passes build it afresh.</summary>
    public void RemoveRoot() => Remove(_image.RootDirectory);

    private void Copy(string from, string to) =>
        _image.Runner.Run(new Processes.ToolCommand("cp", ["-a", "--reflink=auto", "--", from, to]));

    private void Remove(string path)
    {
        if (System.IO.Directory.Exists(path) || File.Exists(path))
        {
            _image.Runner.Run(new Processes.ToolCommand("rm", ["-rf", "--one-file-system", "--", path]));
        }
    }
}
