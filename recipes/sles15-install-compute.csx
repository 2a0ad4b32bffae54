// SLES 15 SP5 diskful compute node, installed by AutoYaST from the shipped template.
#load "common/compute.csx"

Image("sles15.5-x86_64-install-compute")
    .Describe("SLES 15 SP5 compute node, installed to disk")
    .Install()
    .Os("sles15.5", "x86_64")
    .Profile("compute")
    .Packages("@base", "@minimal_base", "openssh", "chrony", "rsync")
    .KernelArguments("console=tty0 console=ttyS0,115200")
    .With(ComputeNode);
