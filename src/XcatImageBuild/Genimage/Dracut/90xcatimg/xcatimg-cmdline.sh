#!/bin/sh
# Claims the root for xcatimg when the command line has imgurl= or a root image is appended to the initramfs.
type xcatimg_appended >/dev/null 2>&1 || . /lib/xcatimg-lib.sh

imgurl=$(getarg imgurl=)
if [ -n "$imgurl" ]; then
    case "$imgurl" in
        http://* | https://*) ;;
        *) die "xcatimg: imgurl=$imgurl is not an http or https URL" ;;
    esac
    root=xcatimg
    rootok=1
    # dracut's network module runs /sbin/xcatimgroot (the handler named by this prefix) once an interface is up.
    netroot="xcatimg:$imgurl"
    # The network comes up by DHCP unless the command line says how.
    mkdir -p /etc/cmdline.d
    if [ -z "$(getarg ip=)" ]; then
        echo "rd.neednet=1 ip=dhcp" > /etc/cmdline.d/90xcatimg.conf
    else
        echo "rd.neednet=1" > /etc/cmdline.d/90xcatimg.conf
    fi
    # xCAT's xnba file ends the line with BOOTIF=01-${netX/machyp}, which only xCAT's own iPXE (xNBA) expands; any
    # other iPXE leaves "BOOTIF=01-", and dracut would wait for an interface with that address forever. A BOOTIF that
    # holds no MAC address is ignored, so every interface asks DHCP, as on a node booted without BOOTIF.
    case "$(getarg BOOTIF=)" in
        "" | ??-??-??-??-??-??-?? | ??-??-??-??-??-?? | ??:??:??:??:??:??) ;;
        *) echo "rd.bootif=0" >> /etc/cmdline.d/90xcatimg.conf ;;
    esac
    echo '[ -e "$NEWROOT/proc" ]' > "$hookdir/initqueue/finished/xcatimg.sh"
elif xcatimg_appended >/dev/null; then
    root=xcatimg
    rootok=1
fi
