// What every compute image of this cluster shares: xCAT's default postscripts, the compute group, and for diskless
// images a lean root and a marker file naming what the image was built from.

ImageBuilder ComputeNode(ImageBuilder image) => image
    .Groups("compute")
    .Postscripts("syslog", "remoteshell", "syncfiles")
    .Postbootscripts("otherpkgs");

ImageBuilder DisklessCompute(ImageBuilder image) => image
    .With(ComputeNode)
    .Exclude("./usr/share/man*", "./usr/share/info*", "./usr/share/doc*")
    .Keep("./usr/share/doc/*/copyright")
    // genimage calls the postinstall script outside the image: $1 is the image root, then osver, arch, profile.
    .Postinstall("printf '%s %s %s\\n' \"$2\" \"$3\" \"$4\" > \"$1/etc/xcatimg-recipe\"");
