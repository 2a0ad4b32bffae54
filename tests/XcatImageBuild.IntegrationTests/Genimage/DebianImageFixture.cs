using System.Diagnostics;
using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// One Debian 12 image built once per test run with the real mmdebstrap from the host's Debian mirror: minbase, a
/// kernel, dracut with its network module (which needs procps) and busybox in the first pass, iproute2 in a second pass, and a postinstall
/// script that leaves a marker and an init that prints boottest's ready marker. Built with <c>SOURCE_DATE_EPOCH</c> so the reproducibility test can compare a second
/// build with it. Every test that needs a Debian image reads this one.
/// </summary>
public sealed class DebianImageFixture : IDisposable
{
    public const string ImageName = "debian12-x86_64-netboot-compute";
    public const long SourceDateEpoch = 1700000000;

    public DebianImageFixture()
    {
        Site = new TempSite();
        Define(Site, ImageName, "/install/netboot/debian12/x86_64/compute");
        var clock = Stopwatch.StartNew();
        Result = Build(Site, ImageName);
        BuildTime = clock.Elapsed;
        if (Result.ExitCode == 0)
        {
            // As genimage left them: other tests pack the image, and packimage changes the root (xcat-spec §2.3).
            BuiltRoot = TreeDifferences.Describe(RootDirectory);
            BuiltInitrd = File.ReadAllBytes(Path.Combine(ImageDirectory, "initrd-stateless.gz"));
        }
    }

    /// <summary>The root tree as genimage left it, before any other test packed it (see <see cref="TreeDifferences"/>).</summary>
    public IReadOnlyDictionary<string, string> BuiltRoot { get; } = new Dictionary<string, string>();

    /// <summary>The initrd as genimage built it.</summary>
    public byte[] BuiltInitrd { get; } = [];

    public TempSite Site { get; }

    public CliResult Result { get; }

    public TimeSpan BuildTime { get; }

    public string ImageDirectory => Site.Map("/install/netboot/debian12/x86_64/compute");

    public string RootDirectory => Path.Combine(ImageDirectory, "rootimg");

    /// <summary>Defines the Debian test image in a site, with its lists and postinstall script.</summary>
    public static void Define(TempSite site, string name, string rootimgdir)
    {
        site.WriteFile("/install/custom/netboot/debian/compute.debian12.pkglist", """
            linux-image-amd64
            dracut
            dracut-network
            procps
            busybox
            #NEW_INSTALL_LIST#
            iproute2

            """);
        ImageRows.WriteScript(site, "/install/custom/netboot/debian/compute.debian12.postinstall", """
            #!/bin/sh
            # Leaves a marker in the image: the arguments and the IMG_* variables genimage passes.
            echo "args: $2 $3 $4 $5" > "$1/etc/xcatimg-postinstall"
            echo "image: $IMG_NAME $IMG_PROFILE $IMG_OSVER $IMG_ARCH" >> "$1/etc/xcatimg-postinstall"
            [ "$IMG_ROOTIMGDIR" = "$1" ] && echo "IMG_ROOTIMGDIR is the root" >> "$1/etc/xcatimg-postinstall"
            # The boot test starts this instead of an init: it says which image booted and powers the machine off.
            mkdir -p "$1/usr/local/sbin"
            cat > "$1/usr/local/sbin/xcatimg-boot-check" <<'CHECK'
            #!/bin/sh
            mount -t proc proc /proc
            echo "XCATIMG-BOOTED $(head -n 1 /etc/xcatimg-postinstall) root=$(grep ' / ' /proc/mounts | cut -d' ' -f3)" > /dev/console
            echo 1 > /proc/sys/kernel/sysrq
            echo o > /proc/sysrq-trigger
            CHECK
            chmod 755 "$1/usr/local/sbin/xcatimg-boot-check"
            # The image's init (minbase has none), which boottest waits for: the ready marker, then power off.
            cat > "$1/usr/local/sbin/xcatimg-ready" <<'READY'
            #!/bin/sh
            mount -t proc proc /proc
            . /opt/xcat/xcatinfo
            line="XCATIMG-READY root=$(grep ' / ' /proc/mounts | tail -n 1 | cut -d' ' -f3) IMAGENAME=$IMAGENAME"
            for file in /etc/xcatimg-postinstall /etc/xcatimg-synced; do
                [ -e "$file" ] && line="$line file=$file"
            done
            echo "$line" > /dev/console
            echo 1 > /proc/sys/kernel/sysrq
            echo o > /proc/sysrq-trigger
            READY
            chmod 755 "$1/usr/local/sbin/xcatimg-ready"
            [ -e "$1/sbin/init" ] || ln -s /usr/local/sbin/xcatimg-ready "$1/sbin/init"

            """);
        ImageRows.Define(site, name, "debian12", "netboot", new Dictionary<string, string?>
        {
            ["pkglist"] = "/install/custom/netboot/debian/compute.debian12.pkglist",
            ["postinstall"] = "/install/custom/netboot/debian/compute.debian12.postinstall marker-argument",
            ["rootimgdir"] = rootimgdir,
        });
    }

    /// <summary>Runs genimage with the fixture's SOURCE_DATE_EPOCH.</summary>
    public static CliResult Build(TempSite site, string name) => site.Run(
        CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", SourceDateEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        "genimage",
        name);

    public void Dispose() => Site.Dispose();
}
