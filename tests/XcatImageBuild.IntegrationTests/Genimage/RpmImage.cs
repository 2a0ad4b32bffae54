using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// An RPM image defined in a test site over the local repositories: pkgdir holds xcatimg-test-base and -extra,
/// otherpkgdir xcatimg-test-tool and -unwanted. The pkglist installs base, then extra in a second pass; the
/// otherpkglist installs unwanted, then tool in a second pass that removes unwanted afterwards (<c>--</c>).
/// </summary>
public static class RpmImage
{
    public static string Define(TempSite site, string osvers, string? pkglist = null, string postinstall = "exit 0")
    {
        var name = $"{osvers}-x86_64-netboot-compute";
        var platform = osvers.StartsWith("sles", StringComparison.Ordinal) ? "sles" : "rh";
        LocalRpmRepository.Create(site.Map($"/install/{osvers}/x86_64"), site.Map($"/install/post/otherpkgs/{osvers}/x86_64"));
        site.WriteFile($"/install/custom/netboot/{platform}/compute.pkglist", pkglist ?? "xcatimg-test-base\n#NEW_INSTALL_LIST#\nxcatimg-test-extra\n");
        site.WriteFile($"/install/custom/netboot/{platform}/compute.otherpkgs.pkglist", "xcatimg-test-unwanted\n#NEW_INSTALL_LIST#\nxcatimg-test-tool\n--xcatimg-test-unwanted\n");
        ImageRows.WriteScript(site, $"/install/custom/netboot/{platform}/compute.postinstall", $"""
            #!/bin/sh
            echo "$2 $3 $4 $IMG_NAME" > "$1/etc/xcatimg-postinstall"
            {postinstall}

            """);
        ImageRows.Define(site, name, osvers, "netboot", new Dictionary<string, string?>
        {
            ["pkglist"] = $"/install/custom/netboot/{platform}/compute.pkglist",
            ["otherpkglist"] = $"/install/custom/netboot/{platform}/compute.otherpkgs.pkglist",
            ["postinstall"] = $"/install/custom/netboot/{platform}/compute.postinstall",
        });
        return name;
    }

    /// <summary>The packages the image's RPM database lists, read with the real rpm.</summary>
    public static IReadOnlyList<string> InstalledPackages(string root) =>
        [.. new ProcessRunner().Run(new ToolCommand("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "-qa", "--qf", "%{NAME}\\n"]))
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
