using XcatImageBuild.Media;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Media;

public class CopycdsTests : IClassFixture<MediaImages>
{
    private readonly MediaImages _media;

    public CopycdsTests(MediaImages media)
    {
        _media = media;
    }

    public static TheoryData<string, string, string> Kinds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (kind, name, arch) in MediaFixture.Kinds)
        {
            data.Add(kind, name, arch);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_media_is_identified_with_xcat_s_name(string kind, string name, string arch)
    {
        using var site = new TempSite();

        var result = site.Run("copycds", "-i", _media.Iso(kind));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"OS Image:{_media.Iso(kind)}\nDISTNAME:{name}\nARCH:{arch}\nDISCNO:", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install")), "-i writes nothing");
        Assert.Equal("#imagename,groups,profile,imagetype,description,provmethod,rootfstype,osdistroname,osupdatename,cfmdir,osname,osvers,osarch,synclists,postscripts,postbootscripts,serverrole,isdeletable,kitcomponents,environvar,comments,disable\n", site.Run("tabdump", "osimage").Output);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_media_is_copied_and_gets_xcat_s_default_images(string kind, string name, string arch)
    {
        using var site = new TempSite();

        var result = site.Run("copycds", _media.Iso(kind));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        // SUSE media go to a directory per disc (xcat-spec §9).
        var suse = kind.StartsWith("sles", StringComparison.Ordinal) || kind.StartsWith("leap", StringComparison.Ordinal);
        var target = site.Map(suse ? $"/install/{name}/{arch}/{(kind.EndsWith("packages", StringComparison.Ordinal) ? "2" : "1")}" : $"/install/{name}/{arch}");
        Assert.Equal(Listing(_media.Tree(kind)), Listing(target).Where(p => !p.StartsWith(".fingerprint ", StringComparison.Ordinal)));
        Golden.Check(
            $"Media/{kind}.txt",
            $"$ xcatimg copycds {kind}.iso\n{result.Output}" +
            $"$ tabdump osimage\n{site.Run("tabdump", "osimage").Output}" +
            $"$ tabdump linuximage\n{site.Run("tabdump", "linuximage").Output}" +
            $"$ tabdump osdistro\n{site.Run("tabdump", "osdistro").Output}");
    }

    [Fact]
    public void Copying_the_same_media_again_rewrites_no_file_and_keeps_one_fingerprint()
    {
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));
        var rpm = Directory.GetFiles(site.Map("/install/rocky9.3/x86_64/BaseOS/Packages")).Single();
        var written = File.GetLastWriteTimeUtc(rpm);
        var inode = new FileInfo(rpm).Length;

        var again = site.Run("copycds", _media.Iso("rocky9"));

        Assert.Equal(0, again.ExitCode);
        Assert.Contains("\n0 files copied (0.0 MiB), ", again.Output, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(rpm));
        Assert.Equal(inode, new FileInfo(rpm).Length);
        Assert.Matches("^[0-9a-f]{32},$", File.ReadAllText(site.Map("/install/rocky9.3/x86_64/.fingerprint")));
    }

    [Fact]
    public void Copying_an_unchanged_media_again_lists_the_iso_and_reads_none_of_its_files()
    {
        // Given a media copied once
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));
        var runner = new RecordingRunner(new ProcessRunner());

        // When it is copied again
        var identities = new CopycdsStage(site.Site, runner, new CollectingProgress()).Run([_media.Iso("rocky9")], new CopycdsOptions());

        // Then the ISO was listed and its metadata read, but its tree was never streamed
        Assert.Equal("rocky9.3", identities.Single().DistName);
        Assert.NotEmpty(runner.Commands);
        Assert.DoesNotContain(runner.Commands, c => c.Contains("--format=gnutar", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_file_is_copied_again_and_the_others_are_left_alone()
    {
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));
        File.WriteAllText(site.Map("/install/rocky9.3/x86_64/.discinfo"), "damaged");

        var again = site.Run("copycds", _media.Iso("rocky9"));

        Assert.Contains("\n1 files copied (0.0 MiB), ", again.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(_media.Tree("rocky9"), ".discinfo")), File.ReadAllText(site.Map("/install/rocky9.3/x86_64/.discinfo")));
    }

    [Fact]
    public void A_copy_missing_a_few_files_reads_only_those_files_from_the_iso()
    {
        // Given a copy whose package was deleted and whose .discinfo was damaged
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));
        var rpm = Directory.GetFiles(site.Map("/install/rocky9.3/x86_64/BaseOS/Packages")).Single();
        File.Delete(rpm);
        File.WriteAllText(site.Map("/install/rocky9.3/x86_64/.discinfo"), "damaged");
        var runner = new RecordingRunner(new ProcessRunner());

        // When the media is copied again
        new CopycdsStage(site.Site, runner, new CollectingProgress()).Run([_media.Iso("rocky9")], new CopycdsOptions());

        // Then bsdtar streamed exactly those two files, and both are back as the media has them
        var stream = Assert.Single(runner.Commands, c => c.Contains("--format=gnutar", StringComparison.Ordinal));
        var relative = Path.GetRelativePath(site.Map("/install/rocky9.3/x86_64"), rpm);
        Assert.Equal(
            [".discinfo", relative],
            stream.Split(' ').Where(w => w.StartsWith("--include=", StringComparison.Ordinal)).Select(w => w["--include=".Length..]).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_media.Tree("rocky9"), relative)), File.ReadAllBytes(rpm));
        Assert.Equal(File.ReadAllText(Path.Combine(_media.Tree("rocky9"), ".discinfo")), File.ReadAllText(site.Map("/install/rocky9.3/x86_64/.discinfo")));
        Assert.Equal(Listing(_media.Tree("rocky9")), Listing(site.Map("/install/rocky9.3/x86_64")).Where(p => !p.StartsWith(".fingerprint ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Packages/a.rpm", "Packages/a.rpm")]
    [InlineData("odd [1]/*?.rpm", "odd \\[1\\]/\\*\\?.rpm")]
    [InlineData("back\\slash", "back\\\\slash")]
    public void A_selected_file_is_named_to_bsdtar_as_a_literal_pattern(string path, string pattern)
    {
        Assert.Equal(pattern, IsoMedia.EscapePattern(path));
    }

    [Fact]
    public void An_unpacked_media_directory_is_copied_like_its_iso()
    {
        using var site = new TempSite();

        var result = site.Run("copycds", _media.Tree("alma9"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Listing(_media.Tree("alma9")), Listing(site.Map("/install/alma9.3/x86_64")).Where(p => !p.StartsWith(".fingerprint ", StringComparison.Ordinal)));
        Assert.Contains("\"alma9.3-x86_64-netboot-compute\"", site.Run("tabdump", "osimage").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_installer_and_packages_media_of_sles_go_to_their_own_discs_and_neither_overwrites_the_other()
    {
        using var site = new TempSite();

        var result = site.Run("copycds", _media.Iso("sles15sp5-installer"), _media.Iso("sles15sp5-packages"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(site.Map("/install/sle15.5/x86_64/1/boot/x86_64/loader/linux")));
        Assert.True(Directory.Exists(site.Map("/install/sle15.5/x86_64/2/Module-Basesystem/repodata")));
        Assert.Contains("SLE-15-SP5-Installer", File.ReadAllText(site.Map("/install/sle15.5/x86_64/1/media.1/media")), StringComparison.Ordinal);
        Assert.Contains("SLE-15-SP5-Packages", File.ReadAllText(site.Map("/install/sle15.5/x86_64/2/media.1/media")), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_media_copied_to_the_same_directory_does_not_overwrite_the_first()
    {
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rhel9-dvd"));

        var result = site.Run("copycds", _media.Iso("rhel9-minimal"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already holds another media of this distribution", result.Error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(_media.Tree("rhel9-dvd"), ".treeinfo")), File.ReadAllText(site.Map("/install/rhels9.2/x86_64/.treeinfo")));
        Assert.False(Directory.Exists(site.Map("/install/rhels9.2/x86_64/Packages")), "nothing of the second media is left");
    }

    [Fact]
    public void Running_copycds_again_restores_the_default_columns_but_keeps_a_changed_addkcmdline()
    {
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));
        site.Run("chdef", "-t", "osimage", "-o", "rocky9.3-x86_64-netboot-compute", "pkglist=/tmp/mine", "addkcmdline=console=ttyS0");

        site.Run("copycds", _media.Iso("rocky9"));

        var definition = site.Run("lsdef", "-t", "osimage", "-o", "rocky9.3-x86_64-netboot-compute").Output;
        Assert.Contains("    pkglist=/opt/xcat/share/xcat/netboot/rocky/compute.pkglist\n", definition, StringComparison.Ordinal);
        Assert.Contains("    addkcmdline=console=ttyS0\n", definition, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_in_the_custom_directory_is_used_before_the_shipped_one()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.rhels9.pkglist", "xcatimg-media-base\n");
        site.WriteFile("/install/custom/netboot/rh/compute.synclist", "/etc/hosts -> /etc/hosts\n");

        site.Run("copycds", _media.Iso("rhel9-dvd"));

        var definition = site.Run("lsdef", "-t", "osimage", "-o", "rhels9.2-x86_64-netboot-compute").Output;
        Assert.Contains("    pkglist=/install/custom/netboot/rh/compute.rhels9.pkglist\n", definition, StringComparison.Ordinal);
        Assert.Contains("    synclists=/install/custom/netboot/rh/compute.synclist\n", definition, StringComparison.Ordinal);
        Assert.Contains("    exlist=/opt/xcat/share/xcat/netboot/rh/compute.exlist\n", definition, StringComparison.Ordinal);
    }

    [Fact]
    public void O_copies_the_media_and_creates_no_definition()
    {
        using var site = new TempSite();

        var result = site.Run("copycds", "-o", _media.Iso("rocky9"));

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(site.Map("/install/rocky9.3/x86_64/.discinfo")));
        Assert.Single(site.Run("tabdump", "osimage").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"rocky9.3-x86_64\",\"rocky\",\"9\",\"3\",\"x86_64\",\"Linux\",\"/install/rocky9.3/x86_64\",,", site.Run("tabdump", "osdistro").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void W_does_not_copy_a_media_that_was_copied_before()
    {
        using var site = new TempSite();
        site.Run("copycds", _media.Iso("rocky9"));

        var result = site.Run("copycds", "-w", _media.Iso("rocky9"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("The disc iso has already been copied in!\n", result.Output);
    }

    [Fact]
    public void A_directory_that_is_no_media_is_refused_with_the_files_looked_for_and_nothing_is_written()
    {
        using var site = new TempSite();
        var directory = Directory.CreateDirectory(_media.Scratch("not-media")).FullName;
        File.WriteAllText(Path.Combine(directory, "README"), "holiday photos\n");

        var result = site.Run("copycds", directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error: copycds could not identify the ISO supplied, you may wish to try -n <osver>\n" +
            $"Error: {directory} holds none of the metadata files copycds looks for: .discinfo, .treeinfo, media.1/media, media.1/products, content, .disk/info, README.diskdefines.\n",
            result.Error);
        Assert.False(Directory.Exists(site.Map("/install")));
    }

    [Fact]
    public void A_truncated_iso_is_refused_and_leaves_no_partial_copy_and_no_definition()
    {
        using var site = new TempSite();
        var iso = File.ReadAllBytes(_media.Iso("rocky9"));
        var truncated = _media.Scratch("truncated.iso");
        // Cut inside the directory records and file data, not only the padding xorriso adds at the end.
        File.WriteAllBytes(truncated, iso[..60000]);

        var result = site.Run("copycds", "-n", "rocky9.3", "-a", "x86_64", truncated);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot read the ISO image {truncated}: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install/rocky9.3/x86_64")));
        Assert.Empty(Directory.Exists(site.Map("/install/rocky9.3")) ? Directory.GetFileSystemEntries(site.Map("/install/rocky9.3")) : []);
        Assert.Single(site.Run("tabdump", "osimage").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_file_that_is_no_iso_is_refused()
    {
        using var site = new TempSite();
        var junk = _media.Scratch("junk.iso");
        File.WriteAllText(junk, "this is not an ISO image\n");

        var result = site.Run("copycds", junk);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: Cannot read the ISO image {junk}: Unrecognized archive format\n", result.Error);
    }

    [Fact]
    public void An_architecture_that_contradicts_the_media_is_refused_and_nothing_is_written()
    {
        using var site = new TempSite();

        var result = site.Run("copycds", "-a", "ppc64le", _media.Iso("rocky9"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: The architecture 'ppc64le' given with -a contradicts the media {_media.Iso("rocky9")}, which is for x86_64.\n", result.Error);
        Assert.False(Directory.Exists(site.Map("/install")));
    }

    [Fact]
    public void A_bad_media_among_several_stops_the_run_before_any_is_copied()
    {
        using var site = new TempSite();

        var result = site.Run("copycds", _media.Iso("rocky9"), _media.Scratch("missing.iso"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install/rocky9.3")));
    }

    private static List<string> Listing(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p) + (Directory.Exists(p) ? "/" : $" {new FileInfo(p).Length}"))
            .Order(StringComparer.Ordinal)];
}

/// <summary>Runs the real tools and remembers each command line.</summary>
internal sealed class RecordingRunner(IProcessRunner inner) : IProcessRunner
{
    private readonly List<string> _commands = [];

    public IReadOnlyList<string> Commands => _commands;

    public string? FindExecutable(string tool) => inner.FindExecutable(tool);

    public ToolResult Run(ToolCommand command, CancellationToken cancellationToken = default) => inner.Run(Record(command), cancellationToken);

    public ToolResult RunUnchecked(ToolCommand command, CancellationToken cancellationToken = default) => inner.RunUnchecked(Record(command), cancellationToken);

    public void RunStreaming(ToolCommand command, Stream? input, Stream? output, CancellationToken cancellationToken = default) =>
        inner.RunStreaming(Record(command), input, output, cancellationToken);

    private ToolCommand Record(ToolCommand command)
    {
        lock (_commands)
        {
            _commands.Add(string.Join(' ', [command.Tool, .. command.Arguments]));
        }

        return command;
    }
}
