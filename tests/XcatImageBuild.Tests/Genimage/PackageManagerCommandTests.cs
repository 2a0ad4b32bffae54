using XcatImageBuild.Genimage;
using XcatImageBuild.Genimage.PackageManagers;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Genimage;

/// <summary>The command lines and configuration files the backends give their tools, without running them.</summary>
public sealed class PackageManagerCommandTests : IDisposable
{
    private readonly TempSite _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("debian12", "apt")]
    [InlineData("ubuntu22.04", "apt")]
    [InlineData("rhels8.5.0", "dnf")]
    [InlineData("rocky9.4", "dnf")]
    [InlineData("alma9", "dnf")]
    [InlineData("ol8.9", "dnf")]
    [InlineData("centos8", "dnf")]
    [InlineData("fedora39", "dnf")]
    [InlineData("sles15.5", "zypper")]
    [InlineData("sle15.5", "zypper")]
    [InlineData("leap15.5", "zypper")]
    public void The_backend_is_chosen_from_osvers(string osvers, string backend)
    {
        Assert.Equal(backend, PackageManagerCatalog.For(osvers).Name);
    }

    [Fact]
    public void An_unknown_osvers_names_the_known_families()
    {
        var error = Assert.Throws<XcatException>(() => PackageManagerCatalog.For("windows10"));
        Assert.Contains("'windows10'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rh, centos, centos-stream, alma, rocky, fedora, ol, SL, sles, sle, suse, leap15, debian, ubuntu.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opensuse_leap_osvers_is_refused_as_xcat_names_leap_media_leap15_n()
    {
        var error = Assert.Throws<XcatException>(() => PackageManagerCatalog.For("opensuse-leap15.5"));
        Assert.Contains("'opensuse-leap15.5'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mmdebstrap_gets_the_first_pass_the_suite_and_mirror_of_pkgdir_and_the_cache_bind()
    {
        // Given a Debian image whose pkgdir names a mirror, suite and components, and an #ENV: setting
        var context = Context("debian12", pkgdir: "http://mirror.example/debian bookworm main contrib", pkglist: "#ENV:FOO=bar#\nlinux-image-amd64\ndracut\n");
        var first = context.Definition.PkgList.Passes[0];

        // When the bootstrap command is made
        var command = Apt.MmdebstrapCommand(context, first, "/cache/apt");

        // Then it is a root-mode minbase build of that suite from that mirror, with the cache bound over the archives
        Assert.Equal("mmdebstrap", command.Tool);
        Assert.Contains("--mode=root", command.Arguments);
        Assert.Contains("--variant=minbase", command.Arguments);
        Assert.Contains("--arch=amd64", command.Arguments);
        Assert.Contains("--include=linux-image-amd64,dracut", command.Arguments);
        Assert.Contains("--skip=download/empty", command.Arguments);
        Assert.Contains("--setup-hook=mkdir -p \"$1/var/cache/apt/archives\" && mount --bind '/cache/apt' \"$1/var/cache/apt/archives\"", command.Arguments);
        Assert.Equal(["bookworm", context.RootDirectory, "deb http://mirror.example/debian bookworm main contrib"], command.Arguments.TakeLast(3));
        Assert.Equal("bar", command.Environment["FOO"]);
        Assert.Equal("No", command.Environment["INITRD"]);
    }

    [Fact]
    public void Without_a_mirror_in_pkgdir_the_suite_comes_from_osvers()
    {
        var context = Context("debian12.5", pkgdir: null, pkglist: "dracut\n");

        var sources = Apt.SourcesOf(context);

        Assert.Equal(["bookworm", "bookworm-updates"], sources.Select(s => s.Suite));
        Assert.All(sources, s => Assert.Equal("main", s.Components));
    }

    [Fact]
    public void The_host_mirror_is_read_from_one_line_and_deb822_sources()
    {
        // Given apt sources in both forms, the security archive first
        var etc = _site.Map("/hostapt");
        Directory.CreateDirectory(Path.Combine(etc, "sources.list.d"));
        File.WriteAllText(Path.Combine(etc, "sources.list.d", "a.sources"), "Types: deb\nURIs: http://security.debian.org/debian-security\nSuites: bookworm-security\n");
        File.WriteAllText(Path.Combine(etc, "sources.list.d", "b.sources"), "Types: deb\nURIs: http://ftp.example/debian/\nSuites: bookworm\n");

        // Then the main archive is the mirror
        Assert.Equal("http://ftp.example/debian", Apt.HostDebianMirror(etc));
        File.WriteAllText(Path.Combine(etc, "sources.list"), "deb [arch=amd64] http://one.example/debian bookworm main\n");
        Assert.Equal("http://one.example/debian", Apt.HostDebianMirror(etc));
    }

    [Fact]
    public void Dnf_uses_its_own_configuration_the_installroot_and_only_the_image_repositories()
    {
        // Given an EL9 image whose pkgdir holds two repositories and names a web one
        Directory.CreateDirectory(_site.Map("/install/rocky9.4/x86_64/BaseOS/repodata"));
        Directory.CreateDirectory(_site.Map("/install/rocky9.4/x86_64/AppStream/repodata"));
        var context = Context("rocky9.4", pkgdir: "/install/rocky9.4/x86_64,https://repo.example/el9/", pkglist: "@core\n");

        // When the repositories and the command are made
        var repositories = Dnf.BaseRepositories(context);
        var command = Dnf.Command(context, "/w/dnf.conf", "/cache/dnf", repositories, ["A=b"], ["install", "@core"]);

        // Then every repodata directory is a file repository and the web one is used as it is
        Assert.Equal(
            [$"file://{_site.Map("/install/rocky9.4/x86_64/AppStream")}", $"file://{_site.Map("/install/rocky9.4/x86_64/BaseOS")}", "https://repo.example/el9/"],
            repositories.Select(r => r.BaseUrl));
        Assert.Equal(["rocky9.4-x86_64-0", "rocky9.4-x86_64-1", "rocky9.4-x86_64-2"], repositories.Select(r => r.Id));
        Assert.Equal(
            ["-y", "-c", "/w/dnf.conf", $"--installroot={context.RootDirectory}/", "--setopt=cachedir=/cache/dnf", "--releasever=9",
             "--disablerepo=*", "--enablerepo=rocky9.4-x86_64-0,rocky9.4-x86_64-1,rocky9.4-x86_64-2", "--nogpgcheck",
             "--setopt=module_platform_id=platform:el9", "install", "@core"],
            command.Arguments);
        Assert.Equal("b", command.Environment["A"]);
        Assert.Contains("keepcache=1", Dnf.Configuration("/cache/dnf", repositories), StringComparison.Ordinal);
    }

    [Fact]
    public void Dnf_without_any_repository_gives_xcats_message()
    {
        var context = Context("rhels8.5.0", pkgdir: null, pkglist: "bash\n");

        var error = Assert.Throws<XcatException>(() => Dnf.BaseRepositories(context));

        Assert.Equal("Need /install/rhels8.5.0/x86_64/ available from a system that has ran copycds on rhels8.5.0 x86_64 or correct web repo", error.Message);
    }

    [Fact]
    public void Other_packages_in_subdirectories_get_one_repository_each_and_only_one_local_otherpkgdir_is_allowed()
    {
        // Given an otherpkglist with plain names and dir/pkg names
        var context = Context("rocky9.4", pkgdir: null, pkglist: "bash\n", otherpkglist: "tool\ngpfs/gpfs.base\n");

        // Then the otherpkgdir itself and its gpfs subdirectory are repositories
        var otherpkgdir = _site.Map("/install/post/otherpkgs/rocky9.4/x86_64");
        Assert.Equal(
            [$"file://{otherpkgdir}", $"file://{otherpkgdir}/gpfs"],
            Dnf.OtherRepositories(context, context.Definition.OtherPkgList!.Passes[0]).Select(r => r.BaseUrl));

        var two = Context("rocky9.4", pkgdir: null, pkglist: "bash\n", otherpkglist: "tool\n", otherpkgdir: "/a,/b");
        var error = Assert.Throws<XcatException>(() => Dnf.OtherRepositories(two, two.Definition.OtherPkgList!.Passes[0]));
        Assert.Equal("genimage: at most only 1 local dir in otherpkgdir is supported.", error.Message);
    }

    [Fact]
    public void Zypper_runs_on_the_root_with_the_site_cache_and_keeps_packages()
    {
        var context = Context("sles15.5", pkgdir: "https://repo.example/sles15/", pkglist: "bash\n");

        var command = Zypper.Command(context, "/cache/zypper", [], ["install", "--no-recommends", "bash"]);
        var file = Zypper.RepositoryFile(Dnf.BaseRepositories(context));

        Assert.Equal(["--root", context.RootDirectory, "--cache-dir", "/cache/zypper", "--non-interactive", "--no-gpg-checks", "install", "--no-recommends", "bash"], command.Arguments);
        Assert.Contains("baseurl=https://repo.example/sles15/\n", file, StringComparison.Ordinal);
        Assert.Contains("keeppackages=1\n", file, StringComparison.Ordinal);
    }

    [Fact]
    public void Postinstall_items_are_split_by_comma_and_their_arguments_by_white_space()
    {
        var scripts = PostinstallScript.ParseAll("/a/one.postinstall x y, /b/two.postinstall");

        Assert.Equal("/a/one.postinstall", scripts[0].Script);
        Assert.Equal(["x", "y"], scripts[0].Arguments);
        Assert.Equal("/b/two.postinstall", scripts[1].Script);
        Assert.Empty(scripts[1].Arguments);
    }

    private GenimageContext Context(string osvers, string? pkgdir, string pkglist, string? otherpkglist = null, string? otherpkgdir = null)
    {
        var name = $"{osvers}-x86_64-netboot-compute";
        _site.WriteFile("/lists/compute.pkglist", pkglist);
        if (otherpkglist is not null)
        {
            _site.WriteFile("/lists/compute.otherpkgs.pkglist", otherpkglist);
        }

        _site.Site.Database.Write(session =>
        {
            session.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["provmethod"] = "netboot",
                ["osvers"] = osvers,
                ["osarch"] = "x86_64",
            });
            session.Set(XcatSchema.LinuxImage, [name], new Dictionary<string, string?>
            {
                ["pkglist"] = "/lists/compute.pkglist",
                ["pkgdir"] = pkgdir,
                ["otherpkglist"] = otherpkglist is null ? null : "/lists/compute.otherpkgs.pkglist",
                ["otherpkgdir"] = otherpkgdir,
            });
            return 0;
        });
        var options = new GenimageOptions(name);
        var progress = new CollectingProgress();
        var definition = GenimageDefinition.Resolve(_site.Site, name, options, progress);
        return new GenimageContext(_site.Site, definition, options, new ProcessRunner(), progress);
    }
}
