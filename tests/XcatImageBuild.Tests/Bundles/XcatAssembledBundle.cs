using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// A bundle made the way xCAT's imgexport makes it: a work directory holding <c>&lt;image&gt;/</c> with manifest.xml written
/// by Perl's XML::Simple (<c>XMLout</c>, RootName xcatimage, NoAttr, xmldecl), the files copied flat, <c>extra/</c>, then
/// GNU <c>tar czf &lt;bundle&gt; .</c> inside it (xcat-spec §1.4).
/// </summary>
public static class XcatAssembledBundle
{
    /// <summary>
    /// Writes the bundle of <paramref name="imageName"/> with the Perl hash <paramref name="perlManifest"/> (a Perl
    /// expression) and the files (name in the image directory → content), and returns its path.
    /// </summary>
    public static string Create(string workDirectory, string imageName, string perlManifest, IReadOnlyDictionary<string, string> files, bool compressed = true)
    {
        var tree = Path.Combine(workDirectory, "imgexport.tree");
        var image = Path.Combine(tree, imageName);
        Directory.CreateDirectory(image);
        var runner = new ProcessRunner();
        var script = "use strict; use XML::Simple; my $m = " + perlManifest + ";\n" +
            "open(my $f, '>', $ARGV[0]) or die; print $f XMLout($m, RootName => 'xcatimage', NoAttr => 1, XMLDecl => '<?xml version=\"1.0\"?>'); close($f);";
        runner.Run(new ToolCommand("perl", ["-e", script, Path.Combine(image, "manifest.xml")]));
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(image, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var bundle = Path.Combine(workDirectory, compressed ? $"{imageName}.tgz" : $"{imageName}.tar");
        runner.Run(new ToolCommand("tar", [compressed ? "czf" : "cf", bundle, "."]) { WorkingDirectory = tree });
        return bundle;
    }

    /// <summary>The manifest xCAT's imgexport writes for a netboot image exported with <c>-p node1 -e ...mypost</c>.</summary>
    public const string NetbootManifest = """
        {
          osimage => { imagename => 'rhels8.5.0-x86_64-netboot-compute', imagetype => 'linux', osarch => 'x86_64',
                       osvers => 'rhels8.5.0', profile => 'compute', provmethod => 'netboot', osname => 'Linux',
                       synclists => '/install/custom/netboot/rh/compute.synclist' },
          linuximage => { imagename => 'rhels8.5.0-x86_64-netboot-compute',
                          pkglist => '/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist',
                          exlist => '/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.exlist',
                          postinstall => '/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.postinstall',
                          rootimgdir => '/install/netboot/rhels8.5.0/x86_64/compute' },
          kernel => '/install/netboot/rhels8.5.0/x86_64/compute/kernel',
          ramdisk => '/install/netboot/rhels8.5.0/x86_64/compute/initrd-stateless.gz',
          rootimg => '/install/netboot/rhels8.5.0/x86_64/compute/rootimg.cpio.gz',
          postscripts => 'syslog,remoteshell,syncfiles,mypost',
          postbootscripts => 'otherpkgs',
          extra => [ { src => '/install/postscripts/mypost', dest => '/install/postscripts' } ],
        }
        """;

    /// <summary>The files of <see cref="NetbootManifest"/>, flat by basename, and the extra.</summary>
    public static readonly IReadOnlyDictionary<string, string> NetbootFiles = new Dictionary<string, string>
    {
        ["kernel"] = "vmlinuz bytes\n",
        ["initrd-stateless.gz"] = "initrd bytes\n",
        ["rootimg.cpio.gz"] = "rootimg bytes\n",
        ["compute.rhels8.x86_64.pkglist"] = "bash\nopenssh-server\n",
        ["compute.rhels8.x86_64.exlist"] = "./usr/share/man*\n",
        ["compute.rhels8.x86_64.postinstall"] = "#!/bin/sh\n",
        ["compute.synclist"] = "/etc/hosts -> /etc/hosts\n",
        ["extra/mypost"] = "#!/bin/sh\necho mypost\n",
    };
}
