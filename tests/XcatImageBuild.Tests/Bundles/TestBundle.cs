using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Bundles.Manifest;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Builds bundles in code, member by member, so tests can make both well-formed bundles and every kind of hostile or
/// broken one without binary fixtures. Members are written in the order they are added, as GNU tar entries.
/// </summary>
public sealed class TestBundle
{
    public const string ImageName = "rhels8.5.0-x86_64-netboot-compute";
    public const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";
    public const string ShippedPkglist = "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist";

    private readonly List<Member> _members = [];

    private sealed record Member(string Name, TarEntryType Type, byte[]? Content, string? Link, UnixFileMode Mode);

    /// <summary>A netboot image the way xCAT's imgexport lays it out: ./, ./img/, manifest.xml, the files flat, extra/.</summary>
    public static TestBundle Netboot(string directory = "img", Action<ImageManifest>? change = null, bool checksums = false, string imageName = ImageName)
    {
        var manifest = NetbootManifest(imageName);
        change?.Invoke(manifest);
        var bundle = new TestBundle().Directory("./").Directory($"./{directory}/");
        bundle.File($"./{directory}/manifest.xml", ManifestWriter.ToXml(manifest));
        foreach (var path in new[] { manifest.Kernel, manifest.Ramdisk, manifest.RootImg })
        {
            if (path is not null)
            {
                var name = path[(path.LastIndexOf('/') + 1)..];
                bundle.File($"./{directory}/{name}", $"content of {name} in {imageName}\n");
            }
        }

        // Lists are the same in every image, as when several images of one bundle share the shipped pkglist.
        if (manifest.LinuxImage.TryGetValue("pkglist", out var pkglist))
        {
            bundle.File($"./{directory}/{pkglist[(pkglist.LastIndexOf('/') + 1)..]}", "bash\nopenssh-server\n");
        }

        if (manifest.Extras.Count > 0)
        {
            bundle.Directory($"./{directory}/extra/");
            foreach (var extra in manifest.Extras)
            {
                var name = extra.Src[(extra.Src.LastIndexOf('/') + 1)..];
                bundle.File($"./{directory}/extra/{name}", $"#!/bin/sh\necho {name}\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return checksums ? bundle.WithChecksums(directory) : bundle;
    }

    public static ImageManifest NetbootManifest(string imageName = ImageName)
    {
        var manifest = new ImageManifest();
        foreach (var (column, value) in new[]
        {
            ("imagename", imageName), ("profile", "compute"), ("imagetype", "linux"), ("provmethod", "netboot"),
            ("osname", "Linux"), ("osvers", "rhels8.5.0"), ("osarch", "x86_64"),
        })
        {
            manifest.OsImage[column] = value;
        }

        manifest.LinuxImage["imagename"] = imageName;
        manifest.LinuxImage["pkglist"] = ShippedPkglist;
        manifest.LinuxImage["rootimgdir"] = RootImgDir;
        manifest.Kernel = $"{RootImgDir}/kernel";
        manifest.Ramdisk = $"{RootImgDir}/initrd-stateless.gz";
        manifest.RootImg = $"{RootImgDir}/rootimg.cpio.gz";
        manifest.Postscripts = "syslog,remoteshell,syncfiles,mypost";
        manifest.Postbootscripts = "otherpkgs,mybootpost";
        manifest.Extras.Add(new ManifestExtra("/install/postscripts/mypost", "/install/postscripts"));
        return manifest;
    }

    public TestBundle Directory(string name) => Add(new Member(name, TarEntryType.Directory, null, null, (UnixFileMode)0x1ED));

    public TestBundle File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4) => File(name, Encoding.UTF8.GetBytes(content), mode);

    public TestBundle File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0x1A4) => Add(new Member(name, TarEntryType.RegularFile, content, null, mode));

    public TestBundle Symlink(string name, string target) => Add(new Member(name, TarEntryType.SymbolicLink, null, target, (UnixFileMode)0x1FF));

    public TestBundle HardLink(string name, string target) => Add(new Member(name, TarEntryType.HardLink, null, target, (UnixFileMode)0x1A4));

    public TestBundle Special(string name, TarEntryType type) => Add(new Member(name, type, null, null, (UnixFileMode)0x1A4));

    /// <summary>Replaces the content of a member (the first one of that name).</summary>
    public TestBundle Replace(string name, string content)
    {
        var index = _members.FindIndex(m => m.Name == name);
        _members[index] = _members[index] with { Content = Encoding.UTF8.GetBytes(content) };
        return this;
    }

    /// <summary>Removes a member.</summary>
    public TestBundle Without(string name)
    {
        _members.RemoveAll(m => m.Name == name);
        return this;
    }

    /// <summary>Adds the image directory's SHA256SUMS over its regular files, as our export writes it.</summary>
    public TestBundle WithChecksums(string directory = "img")
    {
        var prefix = $"./{directory}/";
        var lines = _members
            .Where(m => m.Type == TarEntryType.RegularFile && m.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => (Path: m.Name[prefix.Length..], Hash: Convert.ToHexStringLower(SHA256.HashData(m.Content!))))
            .OrderBy(l => l.Path, StringComparer.Ordinal)
            .Select(l => $"{l.Hash}  {l.Path}\n");
        return File($"{prefix}SHA256SUMS", string.Concat(lines));
    }

    /// <summary>The tar stream, GNU format, ending with the two zero blocks; <paramref name="trailing"/> follows them.</summary>
    public byte[] Tar(byte[]? trailing = null)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var member in _members)
            {
                var entry = new GnuTarEntry(member.Type, member.Name) { Mode = member.Mode, Uid = 0, Gid = 0, ModificationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) };
                if (member.Link is not null)
                {
                    entry.LinkName = member.Link;
                }

                if (member.Type is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
                {
                    entry.DeviceMajor = 1;
                    entry.DeviceMinor = 3;
                }

                if (member.Content is not null)
                {
                    entry.DataStream = new MemoryStream(member.Content);
                }

                writer.WriteEntry(entry);
            }
        }

        if (trailing is not null)
        {
            output.Write(trailing);
        }

        return output.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Writes the bundle as a gzip tar (or a plain tar) and returns its path.</summary>
    public string WriteTo(string directory, string fileName = "bundle.tgz", bool compressed = true)
    {
        var path = Path.Combine(directory, fileName);
        System.IO.File.WriteAllBytes(path, compressed ? Gzip(Tar()) : Tar());
        return path;
    }

    private TestBundle Add(Member member)
    {
        _members.Add(member);
        return this;
    }
}
