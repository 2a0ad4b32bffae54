#!/bin/bash
# xcatimg: boots a stateless xCAT root image. The image comes from imgurl=http(s)://... on the kernel command line
# (fetched once the network is up) or from a root image appended to the initramfs (/rootimg.cpio.gz and the like,
# added as one more cpio archive after the initrd); either way it is unpacked into a tmpfs that becomes the root.

# Included only when asked for: genimage adds it with add_dracutmodules in /etc/dracut.conf.d/90xcatimg.conf.
check() {
    return 255
}

# dracut's network module brings the interface up for imgurl=; an image without it (no dracut-network) still boots
# an appended root image.
depends() {
    if [ -d "$dracutbasedir/modules.d/40network" ]; then
        echo network
    fi
    return 0
}

install() {
    inst_multiple cpio gzip mkdir mount umount
    # igzip or pigz, where the image has them, unpack .gz roots faster than gzip.
    inst_multiple -o igzip pigz xz zstd tar curl wget busybox
    inst_simple "$moddir/xcatimg-lib.sh" /lib/xcatimg-lib.sh
    inst_hook cmdline 10 "$moddir/xcatimg-cmdline.sh"
    inst_hook mount 90 "$moddir/xcatimg-mount.sh"
    inst_script "$moddir/xcatimgroot.sh" /sbin/xcatimgroot
}
