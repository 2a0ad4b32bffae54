#!/bin/sh
# Functions shared by the xcatimg hooks.

# The root image appended to the initramfs, if any.
xcatimg_appended() {
    for image in /rootimg.cpio.gz /rootimg.cpio.xz /rootimg.cpio.zst /rootimg.cpio /rootimg.tar.gz /rootimg.tar.xz /rootimg.tar.zst /rootimg.tar; do
        if [ -s "$image" ]; then
            echo "$image"
            return 0
        fi
    done
    return 1
}

# Mounts the tmpfs the image is unpacked into; xcatimg.size= (a tmpfs size such as 4G or 50%) bounds it.
xcatimg_tmpfs() {
    size=$(getarg xcatimg.size=)
    mkdir -p "$1"
    mount -t tmpfs -o "mode=755${size:+,size=$size}" rootfs "$1"
}

# Writes the image at URL $1 to standard output with whichever client the initrd has.
xcatimg_fetch() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --retry 5 --retry-delay 2 "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O - "$1"
    else
        busybox wget -q -O - "$1"
    fi
}

# Unpacks the image read from standard input into directory $2; its name $1 tells the format
# (cpio or tar, compressed with gzip, xz or zstd, or not at all). The fastest decompressor the initrd has for the
# format runs beside the extractor, so a download, its decompression and the extraction overlap, and the tree is
# written in one pass: for gzip, igzip (ISA-L's inflate, package isal: about four times gzip's speed), else pigz
# (which reads, inflates and checks the CRC on separate threads), else gzip; xz with a thread per core (packimage's xz
# archives are multi-block, so they decompress in parallel).
xcatimg_unpack() {
    case "$1" in
        *.gz)
            if command -v igzip >/dev/null 2>&1; then decompress="igzip -dc"
            elif command -v pigz >/dev/null 2>&1; then decompress="pigz -dc"
            else decompress="gzip -dc"; fi ;;
        *.xz) decompress="xz -dc -T0" ;;
        *.zst) decompress="zstd -dcq" ;;
        *) decompress="cat" ;;
    esac
    # GNU cpio reads its input 512 bytes at a time unless told otherwise; 64 KiB reads save a third of its system time.
    # (busybox cpio has no such option and reads larger pieces anyway.)
    case "$(cpio --help 2>&1)" in
        *--block-size*) blocks="--block-size=128" ;;
        *) blocks="" ;;
    esac
    case "$1" in
        *.tar*) $decompress | (cd "$2" && tar --numeric-owner --xattrs --xattrs-include='*' -xpf -) ;;
        *) $decompress | (cd "$2" && cpio -idmu --quiet $blocks) ;;
    esac
}
