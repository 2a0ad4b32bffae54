// Rocky Linux 9 diskless compute node: the base OS from the copycds tree, cluster software from local repositories
// under otherpkgdir (one subdirectory per repository), installed in two passes.
#load "common/compute.csx"

var interconnectDrivers = new[] { "mlx5_core", "mlx5_ib", "ib_ipoib" };

Image("rocky9.4-x86_64-netboot-compute")
    .Describe("Rocky Linux 9.4 compute node, stateless, InfiniBand")
    .Netboot()
    .Os("rocky9.4", "x86_64")
    .Profile("compute")
    .PackagesFrom("lists/rocky9-base.pkglist")
    .Packages("chrony", "rdma-core", "-firewalld")
    .OtherRepository("/install/post/otherpkgs/rocky9.4/x86_64")
    .OtherPackages("epel/htop", "epel/pdsh")
    .ThenOtherPackages("slurm/slurm", "slurm/slurm-slurmd", "--slurm-devel")
    .ExcludeFrom("lists/compute.exlist")
    .Keep("./usr/share/locale/en_US*")
    .Sync("/install/files/chrony.conf", "/etc/chrony.conf")
    .NetDrivers(["virtio_net", "e1000e", .. interconnectDrivers])
    .KernelArguments("console=ttyS0,115200")
    .Extra("/install/postscripts/myscript1", "/install/postscripts")
    .With(DisklessCompute);
