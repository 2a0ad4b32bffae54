using System.Text;

namespace XcatImageBuild.Signing;

/// <summary>
/// <c>xcatimg keygen</c>: writes a new key pair in minisign's formats, <c>&lt;prefix&gt;.key</c> (unencrypted, mode
/// 0600) and <c>&lt;prefix&gt;.pub</c>, and never replaces a key that exists.
/// </summary>
public static class Keygen
{
    /// <summary>The prefix used when none is given: <c>xcatimg.key</c> and <c>xcatimg.pub</c>.</summary>
    public const string DefaultPrefix = "xcatimg";

    /// <summary>Generates a key pair and writes both files.</summary>
    /// <param name="prefix">The path of the files without <c>.key</c>/<c>.pub</c>, relative to <paramref name="workingDirectory"/> unless absolute.</param>
    /// <param name="workingDirectory">The directory a relative prefix is taken from.</param>
    /// <returns>The key pair's public half and the two paths written.</returns>
    /// <exception cref="XcatException">Either file exists already, or one cannot be written; then neither is left behind.</exception>
    public static (MinisignPublicKey PublicKey, string SecretKeyPath, string PublicKeyPath) Run(string prefix, string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var basePath = Path.Combine(workingDirectory, prefix);
        var secretPath = basePath + ".key";
        var publicPath = basePath + ".pub";
        var existing = new[] { secretPath, publicPath }.Where(p => Path.Exists(p) || new FileInfo(p).LinkTarget is not null).ToList();
        if (existing.Count > 0)
        {
            throw new XcatException(
                string.Join(Environment.NewLine, existing.Select(p => $"The key file {p} exists already; keygen never replaces a key.")),
                1,
                "Choose another prefix with -o, or move the old key pair away first.");
        }

        var key = MinisignSecretKey.Generate();
        Create(secretPath, key.Format(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            Create(publicPath, key.PublicKey.Format(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch
        {
            File.Delete(secretPath);
            throw;
        }

        return (key.PublicKey, secretPath, publicPath);
    }

    // CreateNew with the mode given at creation: the secret key is never readable by others, not even for a moment,
    // and a file that appeared since the check above is not replaced.
    private static void Create(string path, string text, UnixFileMode mode)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot write the key file {path}: {e.Message}", 1, null, e);
        }

        try
        {
            using (file)
            {
                file.Write(new UTF8Encoding(false).GetBytes(text));
                file.Flush(flushToDisk: true);
            }
        }
        catch (IOException e)
        {
            File.Delete(path);
            throw new XcatException($"Cannot write the key file {path}: {e.Message}", 1, null, e);
        }
    }
}
