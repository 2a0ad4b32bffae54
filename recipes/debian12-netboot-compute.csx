// Debian 12 (bookworm) diskless compute node: a small systemd root with a kernel and an initrd built by dracut.
#load "common/compute.csx"

Image("debian12-x86_64-netboot-compute")
    .Describe("Debian 12 compute node, stateless")
    .Netboot()
    .Os("debian12", "x86_64")
    .Profile("compute")
    .Repository("http://deb.debian.org/debian bookworm main")
    .PackagesFrom("lists/debian12-base.pkglist")
    .Packages("openssh-server", "chrony")
    .With(DisklessCompute);
