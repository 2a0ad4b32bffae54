using XcatImageBuild.Distributions;
using XcatImageBuild.Media;

namespace XcatImageBuild.Tests.Media;

public class MediaDetectorTests
{
    private static MediaIdentity Identify(params (string Name, string Text)[] files) => Identify(null, null, files);

    private static MediaIdentity Identify(string? name, string? arch, params (string Name, string Text)[] files) =>
        MediaDetector.Identify(files.ToDictionary(f => f.Name, f => f.Text, StringComparer.Ordinal), name, arch, "/tmp/media.iso");

    [Theory]
    [InlineData("Red Hat Enterprise Linux 7.9", "rhels7.9")]
    [InlineData("Rocky Linux 8.9", "rocky8.9")]
    [InlineData("AlmaLinux 9.3", "alma9.3")]
    [InlineData("CentOS Linux 8.5.2111", "centos8.5.2111")]
    public void A_discinfo_description_that_names_the_distribution_gives_xcat_s_name(string description, string expected)
    {
        var media = Identify((".discinfo", $"1600000000.1\n{description}\nx86_64\nALL\n"));

        Assert.Equal(expected, media.DistName);
        Assert.Equal("x86_64", media.Arch);
        Assert.Equal("ALL", media.DiscNo);
    }

    [Theory]
    [InlineData("Red Hat Enterprise Linux", "rhels9.4")]
    [InlineData("Rocky Linux", "rocky9.4")]
    [InlineData("AlmaLinux", "alma9.4")]
    public void A_version_only_discinfo_takes_the_family_from_treeinfo_so_a_new_point_release_needs_no_table(string family, string expected)
    {
        var media = Identify((".discinfo", "1715000000.5\n9.4\naarch64\nALL\n"), (".treeinfo", $"[release]\nname = {family}\nversion = 9.4\n"));

        Assert.Equal(expected, media.DistName);
        Assert.Equal("aarch64", media.Arch);
    }

    [Fact]
    public void A_compute_node_variant_of_rhel_is_named_rhelhpc()
    {
        var media = Identify((".discinfo", "1\nRed Hat Enterprise Linux 7.9\nx86_64\n1\n"), (".treeinfo", "[general]\nvariant = ComputeNode\n"));

        Assert.Equal("rhelhpc7.9", media.DistName);
    }

    [Fact]
    public void A_media_without_discinfo_is_named_from_treeinfo_alone()
    {
        var media = Identify((".treeinfo", "[release]\nname = Red Hat Enterprise Linux\nversion = 9.2\n[tree]\narch = x86_64\n"));

        Assert.Equal(new MediaIdentity("rhels9.2", "x86_64", "1", DistributionFamily.RedHat), media);
    }

    [Theory]
    [InlineData("SUSE - SLE-15-SP5-Installer-DVD-x86_64-GM-DVD1", "1")]
    [InlineData("SUSE - SLE-15-SP5-Packages-x86_64-GM-DVD1", "2")]
    [InlineData("SUSE - SLE-15-SP5-Full-x86_64-GM-Media1", "1")]
    [InlineData("SUSE - SLE-15-SP5-Packages-x86_64-GM-DVD2", "packages2")]
    public void Sle15_media_are_named_sle15_n_and_take_their_own_disc_slot(string line, string slot)
    {
        var media = Identify(("media.1/media", line + "\n20230510-0\n1\n"));

        Assert.Equal("sle15.5", media.DistName);
        Assert.Equal("x86_64", media.Arch);
        Assert.Equal(slot, media.Slot);
    }

    [Fact]
    public void Older_sles_media_are_named_from_content()
    {
        var media = Identify(("content", "DISTRO cpe:/o:suse:sles:12:sp5,SUSE Linux Enterprise Server 12 SP5\nLABEL SUSE Linux Enterprise Server 12 SP5\nBASEARCHS x86_64\n"));

        Assert.Equal(("sles12.5", "x86_64", DistributionFamily.Suse), (media.DistName, media.Arch, media.Family));
    }

    [Fact]
    public void Leap_is_named_from_treeinfo()
    {
        var media = Identify(("media.1/media", "openSUSE - openSUSE-Leap-15.5-DVD-x86_64-Build491.1-Media\n"), (".treeinfo", "[release]\nname = openSUSE Leap\nversion = 15.5\n[general]\narch = x86_64\n"));

        Assert.Equal(("leap15.5", "x86_64", DistributionFamily.Suse), (media.DistName, media.Arch, media.Family));
    }

    [Theory]
    [InlineData("Debian GNU/Linux 12.5.0 \"Bookworm\" - Official amd64 NETINST with firmware 20240210-11:27", "debian12.5.0", "x86_64", "1")]
    [InlineData("Debian GNU/Linux 12.5.0 \"Bookworm\" - Official arm64 DVD Binary-2 20240210-11:28", "debian12.5.0", "arm64", "2")]
    [InlineData("Ubuntu-Server 24.04 LTS \"Noble Numbat\" - Release amd64 (20240423)", "ubuntu24.04", "x86_64", "1")]
    [InlineData("Ubuntu-Server 22.04.4 LTS \"Jammy Jellyfish\" - Release ppc64el (20240220)", "ubuntu22.04.4", "ppc64el", "1")]
    public void Debian_and_ubuntu_media_are_named_from_disk_info(string info, string name, string arch, string disc)
    {
        var media = Identify((".disk/info", info));

        Assert.Equal((name, arch, disc, DistributionFamily.Debian), (media.DistName, media.Arch, media.DiscNo, media.Family));
    }

    [Fact]
    public void A_media_with_none_of_the_metadata_files_names_every_file_looked_for()
    {
        var error = Assert.Throws<XcatException>(() => Identify(("README", "hello")));

        Assert.Equal(
            "copycds could not identify the ISO supplied, you may wish to try -n <osver>\n" +
            "/tmp/media.iso holds none of the metadata files copycds looks for: .discinfo, .treeinfo, media.1/media, media.1/products, content, .disk/info, README.diskdefines.",
            error.Message);
    }

    [Fact]
    public void An_architecture_given_with_a_that_contradicts_the_media_is_an_error()
    {
        var error = Assert.Throws<XcatException>(() => Identify(null, "ppc64le", (".discinfo", "1\n9.2\nx86_64\nALL\n"), (".treeinfo", "[release]\nname = Rocky Linux\n")));

        Assert.Equal("The architecture 'ppc64le' given with -a contradicts the media /tmp/media.iso, which is for x86_64.", error.Message);
    }

    [Fact]
    public void N_names_the_media_and_a_supplies_an_architecture_it_does_not_state()
    {
        var media = Identify("rhels9.2-custom", "x86_64", (".treeinfo", "[release]\nname = Red Hat Enterprise Linux\nversion = 9.2\n"));

        Assert.Equal(("rhels9.2-custom", "x86_64"), (media.DistName, media.Arch));
    }

    [Fact]
    public void A_media_that_does_not_state_its_architecture_needs_a()
    {
        var error = Assert.Throws<XcatException>(() => Identify((".treeinfo", "[release]\nname = Rocky Linux\nversion = 9.3\n")));

        Assert.Equal("The media /tmp/media.iso does not state its architecture; give it with -a.", error.Message);
    }
}
