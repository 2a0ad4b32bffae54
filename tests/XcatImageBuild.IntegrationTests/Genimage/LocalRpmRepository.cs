using XcatImageBuild.Processes;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// Two RPM repositories built for the tests with the real rpmbuild and createrepo_c: a base repository (for pkgdir:
/// xcatimg-test-base and xcatimg-test-extra, which requires base) and an other repository (for otherpkgdir:
/// xcatimg-test-tool and xcatimg-test-unwanted). Each package installs <c>/usr/share/xcatimg-test/&lt;name&gt;</c>.
/// </summary>
public static class LocalRpmRepository
{
    /// <summary>Builds the packages and writes the two repositories into the given directories.</summary>
    public static void Create(string baseDirectory, string otherDirectory)
    {
        var scratch = Directory.CreateTempSubdirectory("xcatimg-rpmbuild-").FullName;
        try
        {
            Build(scratch, baseDirectory, otherDirectory);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void Build(string scratch, string baseDirectory, string otherDirectory)
    {
        var runner = new ProcessRunner();
        var top = Path.Combine(scratch, "rpmbuild");
        foreach (var (name, requires, repository) in new[]
        {
            ("base", "", "base"),
            ("extra", "Requires: xcatimg-test-base", "base"),
            ("tool", "", "other"),
            ("unwanted", "", "other"),
        })
        {
            var spec = Path.Combine(scratch, name + ".spec");
            File.WriteAllText(spec, $"""
                Name: xcatimg-test-{name}
                Version: 1.0
                Release: 1
                Summary: xcatimg test package {name}
                License: MIT
                BuildArch: noarch
                {requires}
                %description
                Installs /usr/share/xcatimg-test/{name}.
                %install
                mkdir -p %{"{buildroot}"}/usr/share/xcatimg-test
                echo {name} > %{"{buildroot}"}/usr/share/xcatimg-test/{name}
                %files
                /usr/share/xcatimg-test/{name}

                """);
            runner.Run(new ToolCommand("rpmbuild", ["-bb", "--define", $"_topdir {top}", spec]));
            var target = repository == "base" ? baseDirectory : otherDirectory;
            Directory.CreateDirectory(target);
            var rpm = Directory.GetFiles(Path.Combine(top, "RPMS", "noarch"), $"xcatimg-test-{name}-*.rpm").Single();
            File.Copy(rpm, Path.Combine(target, Path.GetFileName(rpm)));
        }

        runner.Run(new ToolCommand("createrepo_c", ["-q", baseDirectory]));
        runner.Run(new ToolCommand("createrepo_c", ["-q", otherDirectory]));
    }
}
