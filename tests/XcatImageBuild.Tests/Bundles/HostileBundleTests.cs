using System.Formats.Tar;
using System.Text;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// A corpus of hostile and broken bundles, each built in code: every one must fail with its own clear message and
/// leave the site — tables and files — exactly as it was.
/// </summary>
public sealed class HostileBundleTests
{
    /// <summary>One broken bundle: how to write it, extra command-line flags, and the message it must fail with.</summary>
    public sealed record HostileBundle(string Name, Func<string, string> Write, string[] Flags, string Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly Dictionary<string, HostileBundle> Corpus = BuildCorpus().ToDictionary(c => c.Name);

    public static TheoryData<string> CaseNames() => [.. Corpus.Keys];

    [Fact]
    public void The_corpus_covers_at_least_twenty_distinct_failures_each_with_its_own_message()
    {
        Assert.True(Corpus.Count >= 20, $"only {Corpus.Count} cases");
        Assert.Equal(Corpus.Count, Corpus.Values.Select(c => c.Expected).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_hostile_or_broken_bundle_fails_clearly_and_leaves_the_site_unchanged(string name)
    {
        // Given a site that already holds an image, nodes and files the bundle would replace
        var hostile = Corpus[name];
        using var site = PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var bundle = hostile.Write(site.Scratch);

        var outside = Outside(site);

        // When the bundle is imported
        var result = site.Run(["imgimport", bundle, .. hostile.Flags]);

        // Then it fails with an Error: line giving the case's own message and no exception text, nothing changed in
        // the site or beside it, and the next command finds no journal or staging left behind
        Assert.NotEqual(0, result.ExitCode);
        AssertRefusedCleanly(hostile.Expected, result);
        Assert.Equal(before, SiteSnapshot.Take(site));
        Assert.Equal(outside, Outside(site));
        Assert.Equal(0, site.Run("tabdump", "site").ExitCode);
        Assert.False(File.Exists(site.Map(ImportJournal.LogicalPath)));
        Assert.True(!Directory.Exists(site.Map(StagingArea.LogicalParent)) || Directory.GetFileSystemEntries(site.Map(StagingArea.LogicalParent)).Length == 0);
    }

    /// <summary>The problem is on a line of its own starting with <c>Error: </c>, the import said nothing of success, and no exception leaked.</summary>
    internal static void AssertRefusedCleanly(string expected, CliResult result)
    {
        Assert.Contains(result.Error.Split('\n'), line => line.StartsWith("Error: ", StringComparison.Ordinal) && line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("Successfully imported", result.Output, StringComparison.Ordinal);
        foreach (var trace in new[] { "Exception", "   at ", "Unhandled" })
        {
            Assert.DoesNotContain(trace, result.Error, StringComparison.Ordinal);
        }
    }

    /// <summary>Everything in the directory that holds the site, other than the site itself: where a bundle that leads out would land.</summary>
    internal static string Outside(TempSite site)
    {
        var parent = Path.GetDirectoryName(site.Directory)!;
        var scratch = site.Scratch;
        return string.Join('\n', Directory.EnumerateFileSystemEntries(scratch, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFileSystemEntries(parent).Where(p => p.StartsWith(site.Directory, StringComparison.Ordinal) && p != site.Directory && p != scratch))
            .Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Verify_only_reports_the_same_problem_for_each_hostile_bundle(string name)
    {
        // Given a hostile bundle
        var hostile = Corpus[name];
        using var site = PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var bundle = hostile.Write(site.Scratch);

        // When it is only verified
        var result = site.Run(["imgimport", bundle, "--verify-only", .. hostile.Flags]);

        // Then the same message, and nothing changed
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(hostile.Expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    internal static TempSite PopulatedSite()
    {
        var site = new TempSite();
        site.WriteFile($"{TestBundle.RootImgDir}/kernel", "the kernel already here\n");
        site.WriteFile("/install/postscripts/mypost", "#!/bin/sh\necho old\n");
        site.WriteFile("/etc/hosts", "127.0.0.1 localhost\n");
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.OsImage, ["existing-image"], new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot" });
            s.Set(XcatSchema.NodeList, ["node1"], new Dictionary<string, string?> { ["groups"] = "compute,all" });
            s.Set(XcatSchema.NodeList, ["node2"], new Dictionary<string, string?> { ["groups"] = "compute,all" });
            return 0;
        });
        return site;
    }

    private static IEnumerable<HostileBundle> BuildCorpus()
    {
        const string Img = "./img";
        static string Gz(string dir, byte[] bytes, string file = "bundle.tgz")
        {
            var path = Path.Combine(dir, file);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        HostileBundle Bundle(string name, Func<TestBundle> build, string expected, params string[] flags) =>
            new(name, dir => build().WriteTo(dir), flags, expected);

        yield return Bundle("dot-dot member", () => TestBundle.Netboot().File($"{Img}/../../etc/passwd", "root::0:0::/:/bin/sh\n"),
            "the member './img/../../etc/passwd' climbs out of the bundle ('..')");
        yield return Bundle("absolute member", () => TestBundle.Netboot().File("/etc/cron.d/evil", "* * * * * root sh\n"),
            "the member '/etc/cron.d/evil' has an absolute name");
        yield return Bundle("symlink out of the image directory", () => TestBundle.Netboot().Symlink($"{Img}/escape", "../../etc"),
            "the symbolic link './img/escape' leads out of its image directory (to '../../etc')");
        yield return Bundle("absolute symlink", () => TestBundle.Netboot().Symlink($"{Img}/shadow", "/etc/shadow"),
            "the symbolic link './img/shadow' leads out of its image directory (to '/etc/shadow')");
        yield return Bundle("symlink chain out of the image directory", () => TestBundle.Netboot().Directory($"{Img}/sub/").Symlink($"{Img}/up", "sub/..").Symlink($"{Img}/out", "up/../.."),
            "the symbolic link './img/out' leads out of its image directory (to 'up/../..')");
        yield return Bundle("member written through a symlink", () => TestBundle.Netboot().Directory($"{Img}/sub/").Symlink($"{Img}/via", "sub").File($"{Img}/via/file", "x"),
            "the member './img/via/file' lies below the symbolic link 'img/via'");
        yield return Bundle("hard link out of the image directory", () => TestBundle.Netboot().Directory("./other/").File("./other/secret", "s").HardLink($"{Img}/secret", "./other/secret"),
            "the hard link './img/secret' leads out of its image directory (to './other/secret')");
        yield return Bundle("hard link to a missing member", () => TestBundle.Netboot().HardLink($"{Img}/passwd", "./img/not-there"),
            "the hard link './img/passwd' points to './img/not-there', which is not an earlier file of the bundle");
        yield return Bundle("character device", () => TestBundle.Netboot().Special($"{Img}/mem", TarEntryType.CharacterDevice),
            "the member './img/mem' is a device node");
        yield return Bundle("block device", () => TestBundle.Netboot().Special($"{Img}/sda", TarEntryType.BlockDevice),
            "the member './img/sda' is a device node");
        yield return Bundle("fifo", () => TestBundle.Netboot().Special($"{Img}/pipe", TarEntryType.Fifo),
            "the member './img/pipe' is a fifo");
        yield return Bundle("duplicate members", () => TestBundle.Netboot().File($"{Img}/kernel", "a second kernel"),
            "the member './img/kernel' appears twice");
        yield return Bundle("no manifest", () => TestBundle.Netboot().Without($"{Img}/manifest.xml"),
            "Failed to find manifest.xml file in image bundle: the image directory 'img/' has no regular file manifest.xml.");
        yield return Bundle("manifest names a file the bundle lacks", () => TestBundle.Netboot().Without($"{Img}/rootimg.cpio.gz"),
            $"The manifest of image '{TestBundle.ImageName}' names the rootimg {TestBundle.RootImgDir}/rootimg.cpio.gz, but the bundle has no file img/rootimg.cpio.gz.");
        yield return Bundle("manifest path outside installdir", () => TestBundle.Netboot(change: m => m.LinuxImage["exlist"] = "/etc/shadow").File($"{Img}/shadow", "root::0:0\n"),
            $"The manifest of image '{TestBundle.ImageName}' would write exlist '/etc/shadow', outside the site's installdir (/install) and tftpdir (/tftpboot); pass --allow-path PREFIX to allow it.");
        yield return Bundle("extra destination outside installdir", () => TestBundle.Netboot(change: m => m.Extras.Add(new ManifestExtra("/root/.ssh/authorized_keys", "/root/.ssh"))),
            $"The manifest of image '{TestBundle.ImageName}' would write extra '/root/.ssh/authorized_keys', outside the site's installdir");
        yield return Bundle("manifest path with dot-dot", () => TestBundle.Netboot(change: m => m.LinuxImage["postinstall"] = "/install/../etc/rc.local").File($"{Img}/rc.local", "sh\n"),
            $"The manifest of image '{TestBundle.ImageName}' names postinstall '/install/../etc/rc.local', which contains '..'.");
        yield return Bundle("manifest with a DTD and entities", () => TestBundle.Netboot().Replace($"{Img}/manifest.xml",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE xcatimage [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<xcatimage><osimage><imagename>&b;</imagename></osimage></xcatimage>\n"),
            "manifest.xml declares a DTD (<!DOCTYPE>), which is refused because it can define entities.");
        yield return Bundle("manifest nested 200,000 deep", () => TestBundle.Netboot().Replace($"{Img}/manifest.xml",
                "<xcatimage>" + string.Concat(Enumerable.Repeat("<a>", 200_000)) + string.Concat(Enumerable.Repeat("</a>", 200_000)) + "</xcatimage>"),
            $"manifest.xml nests elements more than {ManifestReader.MaxDepth} levels deep (line 1); at most {ManifestReader.MaxDepth} are read. (in img/manifest.xml)");
        yield return Bundle("manifest of a million elements", () => TestBundle.Netboot().Replace($"{Img}/manifest.xml",
                "<xcatimage>" + string.Concat(Enumerable.Repeat("<extra/>", 1_000_000)) + "</xcatimage>"),
            $"manifest.xml has more than {ManifestReader.MaxNodes} elements and attributes (line 1); at most {ManifestReader.MaxNodes} are read.");
        yield return Bundle("manifest that is not XML", () => TestBundle.Netboot().Replace($"{Img}/manifest.xml", "<xcatimage><osimage>"),
            "invalid manifest.xml file inside the bundle.  Please verify the XML: Unexpected end of file");
        yield return Bundle("manifest without osarch", () => TestBundle.Netboot(change: m => m.OsImage.Remove("osarch")),
            "The 'osarch' field is not defined in manifest.xml.");
        yield return Bundle("checksum mismatch", () => TestBundle.Netboot(checksums: true).Replace($"{Img}/initrd-stateless.gz", "tampered after the list was made\n"),
            "The checksum of img/initrd-stateless.gz does not match img/SHA256SUMS");
        yield return Bundle("member missing from the checksum list", () => TestBundle.Netboot().WithChecksums().File($"{Img}/smuggled", "extra payload\n"),
            "The member img/smuggled is not in the checksum list img/SHA256SUMS.");
        yield return Bundle("checksum list that is not UTF-8", () => TestBundle.Netboot().File($"{Img}/SHA256SUMS", [0x61, 0xff, 0x0a]),
            "The checksum list img/SHA256SUMS is malformed: SHA256SUMS is not UTF-8 text.");
        yield return Bundle("checksums required but absent", () => TestBundle.Netboot(),
            $"The image '{TestBundle.ImageName}' has no checksum list (img/SHA256SUMS) and --require-checksums is set.", "--require-checksums");
        yield return Bundle("file at the top level", () => TestBundle.Netboot().File("./README", "not an image\n"),
            "The bundle has 'README' at its top level, which is not an image directory");
        yield return Bundle("kits", () => TestBundle.Netboot(change: m => m.Kits.Add(new ManifestKitEntry("kit1", [new("kitname", "kit1"), new("kitdir", "/install/kits/kit1")]))),
            $"The image '{TestBundle.ImageName}' carries kits (kit, kitrepo and kitcomponent rows); importing kits is not supported here.");
        yield return Bundle("install image without media", () => TestBundle.Netboot(change: m =>
            {
                m.OsImage["provmethod"] = "install";
                m.LinuxImage["template"] = TestBundle.ShippedPkglist;
                m.Media = ImageManifest.MediaRequired;
            }),
            "This image requires that you first copy media for rhels8.5.0-x86_64");
        yield return Bundle("gzip bomb", () => TestBundle.Netboot().File($"{Img}/zeros", new byte[24 * 1024 * 1024]),
            "it unpacks to more than 8388608 bytes (raise the bound with --max-size)", "--max-size", "8388608");
        yield return Bundle("too many members", () => Enumerable.Range(0, 50).Aggregate(TestBundle.Netboot(), (b, i) => b.File($"{Img}/f{i}", "x")),
            "it has more than 40 members (raise the bound with --max-members)", "--max-members", "40");
        yield return new("truncated gzip", dir =>
            {
                var bytes = TestBundle.Gzip(TestBundle.Netboot().File($"{Img}/big", RandomBytes(256 * 1024)).Tar());
                return Gz(dir, bytes[..(bytes.Length / 2)]);
            }, [], "inside the compressed data of member 1");
        yield return new("trailing garbage inside the gzip", dir =>
            Gz(dir, TestBundle.Gzip(TestBundle.Netboot().Tar(Encoding.ASCII.GetBytes("#!/bin/sh\nrm -rf /\n")))), [],
            "The tar archive has data after its end");
        yield return new("plain tar without -n", dir => TestBundle.Netboot().WriteTo(dir, "bundle.tar", compressed: false), [],
            "it is a plain tar, not gzip-compressed (pass -n for a plain tar)");
        yield return new("not a tar at all", dir => Gz(dir, TestBundle.Gzip(RandomBytes(4096))), [],
            "bundle.tgz: The checksum of 'the header at offset 0' is not a number");
        yield return Bundle("symlink in a directory extra that climbs out of its destination", () => TestBundle.Netboot(change: m => m.Extras.Add(new ManifestExtra("/srv/tree", "/install/postscripts/tree")))
                .Directory($"{Img}/extra/srv/").Directory($"{Img}/extra/srv/tree/").Symlink($"{Img}/extra/srv/tree/up", "../../.."),
            $"The extra /srv/tree of image '{TestBundle.ImageName}' holds the symbolic link up -> ../../.., which could lead out of /install/postscripts/tree.");
        yield return Bundle("manifest names a directory as its kernel", () => TestBundle.Netboot().Without($"{Img}/kernel").Directory($"{Img}/kernel/"),
            $"The manifest of image '{TestBundle.ImageName}' names the kernel {TestBundle.RootImgDir}/kernel, but the bundle's img/kernel is not a regular file.");
        yield return new("the same image twice", dir =>
            {
                var path = Path.Combine(dir, "two.tgz");
                File.WriteAllBytes(path, TestBundle.Gzip([.. TestBundle.Netboot("a").Tar()[..^1024], .. TestBundle.Netboot("b").Without("./").Tar()]));
                return path;
            }, [], $"The bundle holds the image '{TestBundle.ImageName}' more than once (a/, b/).");
        yield return Bundle("s390x raw image files", () => TestBundle.Netboot(change: m => m.RawImageFiles.Add("/install/raw/img.img")),
            $"The image '{TestBundle.ImageName}' carries s390x raw image files; importing them is not supported here.");
        yield return Bundle("image name that climbs", () => TestBundle.Netboot(imageName: "../../evil"),
            "The manifest's imagename '../../evil' contains '/'.");
        yield return Bundle("profile that is '..'", () => TestBundle.Netboot(change: m => m.OsImage["profile"] = ".."),
            "The manifest's profile '..' is '..'.");
        yield return Bundle("newline in osvers", () => TestBundle.Netboot(change: m => m.OsImage["osvers"] = "rhels8\nObject name: forged"),
            "The manifest's osvers 'rhels8\\nObject name: forged' contains the control character \\n.");
        yield return Bundle("carriage return in osarch", () => TestBundle.Netboot().Replace($"{Img}/manifest.xml",
                ManifestWriter.ToXml(TestBundle.NetbootManifest()).Replace("<osarch>x86_64</osarch>", "<osarch>x86_64&#13;OK</osarch>", StringComparison.Ordinal)),
            "The manifest's osarch 'x86_64\\rOK' contains the control character \\r.");
        yield return Bundle("rootimgdir outside installdir", () => TestBundle.Netboot(change: m => m.LinuxImage["rootimgdir"] = "/etc/cron.d"),
            $"The manifest of image '{TestBundle.ImageName}' sets rootimgdir to '/etc/cron.d', which lies outside the site's installdir (/install).");
        yield return new("new profile with a slash", dir => TestBundle.Netboot().WriteTo(dir), ["-f", "../x"],
            "The new profile '../x' (-f) contains '/'.");
        yield return new("missing bundle file", dir => Path.Combine(dir, "nowhere.tgz"), [], "Cannot find ");
        yield return new("remote bundle", dir => TestBundle.Netboot().WriteTo(dir), ["-R", "root@elsewhere"],
            "imgimport -R root@elsewhere is not supported here.");
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }
}
