#!/bin/sh
# dracut's netroot handler for netroot=xcatimg:<url>, called as: xcatimgroot <interface> <netroot> <newroot>.
# Fetches the root image and unpacks it, while it downloads, into a tmpfs at the new root.
. /lib/dracut-lib.sh
. /lib/xcatimg-lib.sh

netif="$1"
url="${2#xcatimg:}"
newroot="${3:-$NEWROOT}"

ismounted "$newroot" && exit 0
info "xcatimg: fetching $url through $netif"
xcatimg_tmpfs "$newroot" || die "xcatimg: cannot mount a tmpfs at $newroot"
rm -f /tmp/xcatimg.fetch-failed
{ xcatimg_fetch "$url" || : > /tmp/xcatimg.fetch-failed; } | xcatimg_unpack "$url" "$newroot"
unpacked=$?
if [ -e /tmp/xcatimg.fetch-failed ] || [ "$unpacked" -ne 0 ]; then
    umount "$newroot"
    warn "xcatimg: cannot fetch or unpack $url"
    exit 1
fi
exit 0
