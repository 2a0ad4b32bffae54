#!/bin/sh
# An appended root image is unpacked here; an imgurl= image was unpacked by /sbin/xcatimgroot already.
type xcatimg_appended >/dev/null 2>&1 || . /lib/xcatimg-lib.sh

if [ "$root" = xcatimg ] && ! ismounted "$NEWROOT"; then
    image=$(xcatimg_appended) || die "xcatimg: no imgurl= and no root image appended to the initramfs"
    info "xcatimg: unpacking $image"
    xcatimg_tmpfs "$NEWROOT" || die "xcatimg: cannot mount a tmpfs at $NEWROOT"
    if xcatimg_unpack "$image" "$NEWROOT" < "$image"; then
        # The packed copy is no longer needed; free its memory before the switch.
        rm -f "$image"
    else
        umount "$NEWROOT"
        die "xcatimg: cannot unpack $image"
    fi
fi
