using XcatImageBuild.Genimage;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Genimage;

/// <summary>genimage's checks of a definition, with xCAT's messages, before anything is built.</summary>
public sealed class GenimageDefinitionTests : IDisposable
{
    private readonly TempSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void A_missing_image_gives_xcats_message()
    {
        var result = _site.Run("genimage", "nosuch");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Cannot find image 'nosuch' from the osimage table.\n", result.Error);
    }

    [Fact]
    public void An_install_image_cannot_be_built_as_a_diskless_one()
    {
        Define("rocky9.4-x86_64-install-compute", "install", new Dictionary<string, string?> { ["pkglist"] = "/l" });

        var result = _site.Run("genimage", "rocky9.4-x86_64-install-compute");

        Assert.Equal("Error: 'rocky9.4-x86_64-install-compute' cannot be used to build diskless image. Make sure osimage.provmethod is 'netboot'.\n", result.Error);
    }

    [Fact]
    public void Missing_lists_and_postinstall_scripts_are_named()
    {
        Define("img", "netboot", new Dictionary<string, string?> { ["pkglist"] = "/install/custom/missing.pkglist" });
        Assert.Equal("Error: The pkglist specified '/install/custom/missing.pkglist' does not exist!\n", _site.Run("genimage", "img").Error);

        _site.WriteFile("/install/custom/compute.pkglist", "bash\n");
        Define("img", "netboot", new Dictionary<string, string?> { ["pkglist"] = "/install/custom/compute.pkglist", ["postinstall"] = "/install/custom/missing.postinstall arg" });
        Assert.Equal("Error: The postinstall_filename specified '/install/custom/missing.postinstall' does not exist!\n", _site.Run("genimage", "img").Error);
    }

    [Fact]
    public void Command_line_values_that_differ_from_the_table_are_announced_and_the_drivers_get_xcats_defaults()
    {
        // Given an image with netdrivers in its row
        _site.WriteFile("/install/custom/compute.pkglist", "bash\n");
        Define("img", "netboot", new Dictionary<string, string?> { ["pkglist"] = "/install/custom/compute.pkglist", ["netdrivers"] = "ixgbe" });
        var progress = new CollectingProgress();

        // When -k and -n are given
        var definition = GenimageDefinition.Resolve(_site.Site, "img", new GenimageOptions("img") { KernelVersion = "6.1.0-9-amd64", NetDrivers = "mlx5_core" }, progress);

        // Then xCAT's lines are printed, the values are kept for write-back, and the defaults follow the given drivers
        Assert.Contains("The kernelver is different from the value in linuximage table, will update it.", progress.Infos);
        Assert.Contains("The netdrivers is different from the value in linuximage table, will update it.", progress.Infos);
        Assert.Equal("6.1.0-9-amd64", definition.CommandLineUpdates["kernelver"]);
        Assert.Equal(["mlx5_core", .. GenimageDefinition.DefaultNetDrivers], definition.NetDrivers);
        Assert.Equal("/install/netboot/debian12/x86_64/compute", definition.RootImageDirectory);
        Assert.Equal("/install/debian12/x86_64", definition.PkgDirValue);
    }

    [Fact]
    public void A_dry_run_prints_the_plan_and_builds_nothing()
    {
        _site.WriteFile("/install/custom/compute.pkglist", "linux-image-amd64\n#NEW_INSTALL_LIST#\nvim\n");
        Define("img", "netboot", new Dictionary<string, string?> { ["pkglist"] = "/install/custom/compute.pkglist" });

        var result = _site.Run("genimage", "img", "--dryrun");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("genimage img: debian12 x86_64 compute (netboot) with apt into /install/netboot/debian12/x86_64/compute/rootimg", result.Output, StringComparison.Ordinal);
        Assert.Contains("  pkglist pass 2: vim", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_site.Map("/install/netboot")));
    }

    private void Define(string name, string provmethod, Dictionary<string, string?> linux) => _site.Site.Database.Write(session =>
    {
        session.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?>
        {
            ["profile"] = "compute",
            ["provmethod"] = provmethod,
            ["osvers"] = "debian12",
            ["osarch"] = "x86_64",
        });
        session.Set(XcatSchema.LinuxImage, [name], linux);
        return 0;
    });
}
