using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;
using XcatImageBuild.Images;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Diff;

/// <summary>Reads an image's <see cref="ImageContents"/> from a bundle file in one streaming pass, or from the site.</summary>
public static class ImageContentsLoader
{
    private const string SbomFileName = "image.spdx.json";
    private const long MaxText = 16L << 20;
    private static readonly string[] RootArchives =
        ["rootimg.cpio.gz", "rootimg.cpio.xz", "rootimg.cpio.zst", "rootimg.tar.gz", "rootimg.tar.xz", "rootimg.tar.zst", "rootimg.sfs"];

    /// <summary>Reads a bundle (xCAT's gzip tar): its manifest, lists, kernel, initrd, SBOM and root archive.</summary>
    /// <exception cref="XcatException">It cannot be read or holds no single image.</exception>
    public static ImageContents FromBundle(string path, string source, IProcessRunner tools) => FromBundle(path, source, tools, null);

    /// <summary>
    /// Reads a bundle as <see cref="FromBundle(string, string, IProcessRunner)"/> does, recording every member's metadata
    /// in <see cref="ImageContents.Members"/> and keeping the contents <paramref name="keep"/> asks for: root image
    /// files by absolute path, bundle members by name (<c>IMAGE/FILE</c>).
    /// </summary>
    /// <exception cref="XcatException">It cannot be read or holds no single image.</exception>
    public static ImageContents FromBundle(string path, string source, IProcessRunner tools, RootFileContents? keep)
    {
        var members = new SortedDictionary<string, RootFile>(StringComparer.Ordinal);
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        var texts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var files = new Dictionary<string, RootFile>(StringComparer.Ordinal);
        string? rootArchive = null;
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var gzip = new VerifyingGzipStream(file, leaveOpen: true);
            using var tar = new StrictTarReader(gzip, leaveOpen: true);
            while (tar.GetNextMember() is { } member)
            {
                var parts = (member.Name.StartsWith("./", StringComparison.Ordinal) ? member.Name[2..] : member.Name).TrimEnd('/').Split('/');
                if (parts[0].Length == 0 || parts[0] == ".")
                {
                    continue;
                }

                directories.Add(parts[0]);
                var header = member.Header;
                var memberName = string.Join('/', parts);
                members[memberName] = new RootFile(header.Kind, header.Mode & 0xFFF, header.Uid, header.Gid, header.DataLength, header.LinkName, null, header.ModificationTime);
                if (parts.Length != 2 || member.DataStream is not { } data)
                {
                    continue;
                }

                var name = parts[1];
                string digest;
                if (RootArchiveReader.IsRootArchive(name))
                {
                    rootArchive = name;
                    using var hashing = new HashingStream(data);
                    RootArchiveReader.Read(name, hashing, tools, files, keep);
                    hashing.CopyTo(Stream.Null);
                    digest = hashing.Digest();
                }
                else if (header.DataLength <= MaxText)
                {
                    var content = new byte[header.DataLength];
                    data.ReadExactly(content);
                    texts[name] = content;
                    digest = Convert.ToHexStringLower(SHA256.HashData(content));
                    if (keep is not null && keep.Wants(memberName))
                    {
                        keep.Keep(memberName, new MemoryStream(content));
                    }
                }
                else
                {
                    digest = Convert.ToHexStringLower(SHA256.HashData(data));
                }

                digests[name] = digest;
                members[memberName] = members[memberName] with { Digest = digest };
            }
        }
        catch (FileNotFoundException)
        {
            throw new XcatException($"Cannot find {source}");
        }
        catch (InvalidDataException e)
        {
            throw new XcatException($"Cannot read the bundle {source}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new XcatException($"Cannot read the bundle {source}: {e.Message}", e);
        }

        if (directories.Count != 1 || !texts.TryGetValue(ImageManifest.FileName, out var manifestBytes))
        {
            throw new XcatException($"The bundle {source} does not hold exactly one image directory with a {ImageManifest.FileName}.");
        }

        ImageManifest manifest;
        try
        {
            manifest = ManifestReader.Read(new MemoryStream(manifestBytes));
        }
        catch (InvalidDataException e)
        {
            throw new XcatException($"{e.Message} (in {source})", e);
        }

        var contents = new ImageContents { Source = source, Name = manifest.ImageName ?? directories.Min! };
        AddRows(contents, manifest.OsImage, manifest.LinuxImage);
        AddLists(contents, column => texts.TryGetValue(BaseName(column), out var content) ? Encoding.UTF8.GetString(content) : null);
        foreach (var boot in new[] { manifest.Kernel, manifest.Ramdisk })
        {
            if (boot is not null && digests.TryGetValue(BaseName(boot), out var digest))
            {
                contents.Boot[BaseName(boot)] = digest;
            }
        }

        contents.Files.EnsureCapacity(files.Count);
        foreach (var (key, value) in files)
        {
            contents.Files[key] = value;
        }

        foreach (var (key, value) in members)
        {
            contents.Members[key] = value;
        }

        contents.RootArchive = rootArchive;
        contents.Packages = texts.TryGetValue(SbomFileName, out var sbom) ? Sbom(sbom, source) : null;
        return contents;
    }

    /// <summary>Reads an image of the site: its rows, the list files they name, and its root image directory.</summary>
    /// <exception cref="XcatException">The site has no such image, or a file cannot be read.</exception>
    public static ImageContents FromSite(XcatSite site, string name, IProcessRunner tools)
    {
        ArgumentNullException.ThrowIfNull(site);
        var image = OsImageRecord.Load(site.Database, name);
        var contents = new ImageContents { Source = name, Name = name };
        AddRows(contents, image.OsImage, image.LinuxImage ?? new Dictionary<string, string>());
        AddLists(contents, logical => File.Exists(site.Map(logical)) ? File.ReadAllText(site.Map(logical)) : null);
        if (image.Linux("rootimgdir") is not { Length: > 0 } rootImgDir)
        {
            return contents;
        }

        var directory = site.Map(rootImgDir);
        foreach (var boot in new[] { "kernel", "initrd-stateless.gz", "initrd-statelite.gz" })
        {
            var path = Path.Combine(directory, boot);
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                contents.Boot[boot] = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
        }

        if (RootArchives.FirstOrDefault(a => File.Exists(Path.Combine(directory, a))) is { } archive)
        {
            contents.RootArchive = archive;
            try
            {
                using var stream = new FileStream(Path.Combine(directory, archive), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                RootArchiveReader.Read(archive, stream, tools, contents.Files);
            }
            catch (InvalidDataException e)
            {
                throw new XcatException($"Cannot read {rootImgDir}/{archive}: {e.Message}", e);
            }
        }

        var sbom = Path.Combine(directory, SbomFileName);
        contents.Packages = File.Exists(sbom) ? Sbom(File.ReadAllBytes(sbom), $"{rootImgDir}/{SbomFileName}") : null;
        return contents;
    }

    private static void AddRows(ImageContents contents, IEnumerable<KeyValuePair<string, string>> osImage, IEnumerable<KeyValuePair<string, string>> linuxImage)
    {
        foreach (var (column, value) in osImage)
        {
            contents.Rows["osimage." + column] = value;
        }

        foreach (var (column, value) in linuxImage)
        {
            contents.Rows["linuximage." + column] = value;
        }
    }

    // Each list column may name several files (comma-separated); each is keyed by column and base name, so the same
    // list in two sites under different directories still compares.
    private static void AddLists(ImageContents contents, Func<string, string?> read)
    {
        foreach (var column in ImageContents.ListColumns)
        {
            if (!contents.Rows.TryGetValue("linuximage." + column, out var value) && !contents.Rows.TryGetValue("osimage." + column, out value))
            {
                continue;
            }

            foreach (var path in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (read(path) is { } text)
                {
                    contents.Lists[$"{column} {BaseName(path)}"] = text;
                }
            }
        }
    }

    private static SortedDictionary<string, string> Sbom(byte[] json, string where)
    {
        try
        {
            return SbomPackages.Read(json, where);
        }
        catch (InvalidDataException e)
        {
            throw new XcatException(e.Message, e);
        }
    }
}
