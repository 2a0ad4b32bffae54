// A 50-line recipe of the kind a site keeps: three diskless images and one diskful image of one cluster, sharing
// fragments through plain C#. RecipeBenchmark evaluates it cold (empty cache) and warm (cached assembly).

const string Mirror = "http://deb.debian.org/debian bookworm main";
var commonPackages = new[] { "openssh-server", "chrony", "rsync", "iproute2" };
var drivers = new List<string> { "virtio_net", "e1000e" };

ImageBuilder Diskless(ImageBuilder image) => image
    .Netboot()
    .Groups("compute", "all")
    .Postscripts("syslog", "remoteshell", "syncfiles")
    .Postbootscripts("otherpkgs")
    .Exclude("./usr/share/man*", "./usr/share/info*", "./usr/share/doc*")
    .Keep("./usr/share/doc/*/copyright")
    .NetDrivers([.. drivers])
    .Postinstall("printf '%s\\n' \"$4\" > \"$1/etc/xcatimg-profile\"");

foreach (var (profile, extra) in new[] { ("compute", "numactl"), ("gpu", "nvtop"), ("login", "vim") })
{
    Image($"debian12-x86_64-netboot-{profile}")
        .Describe($"Debian 12 {profile} node")
        .Os("debian12", "x86_64")
        .Profile(profile)
        .Repository(Mirror)
        .Packages("systemd-sysv", "linux-image-amd64", "dracut")
        .Packages(commonPackages)
        .Packages(extra)
        .With(Diskless)
        .Environment("DEBIAN_FRONTEND", "noninteractive")
        .KernelArguments(profile == "gpu" ? "nouveau.modeset=0" : "quiet");
}

Image("rocky9.4-x86_64-install-service")
    .Describe("Rocky 9.4 service node, installed to disk")
    .Install()
    .Os("rocky9.4", "x86_64")
    .Profile("service")
    .Packages("@minimal-environment", "chrony", "rsync")
    .OtherPackages("xcat/xcat-core/xCATsn")
    .Postscripts("servicenode")
    .KernelArguments("console=ttyS0,115200");

// Lines below keep the recipe at the size the benchmark names; they are the kind of helpers recipes grow.
string Describe(string name) => $"{name} ({DateTime.UnixEpoch:yyyy})";
int CountImages(IEnumerable<string> names) => names.Count();
var names = new[] { "compute", "gpu", "login", "service" };
var total = CountImages(names);
if (total != 4)
{
    throw new InvalidOperationException(Describe("cluster") + " lost an image");
}
