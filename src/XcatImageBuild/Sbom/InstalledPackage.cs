namespace XcatImageBuild.Sbom;

/// <summary>One package as the image's own package database records it.</summary>
/// <param name="Name">The package name (<c>libc6</c>, <c>glibc</c>).</param>
/// <param name="Version">The full version: dpkg's <c>[epoch:]upstream[-revision]</c>, or rpm's <c>[epoch:]version-release</c>.</param>
/// <param name="Architecture">dpkg's or rpm's architecture (<c>amd64</c>, <c>x86_64</c>, <c>all</c>, <c>noarch</c>).</param>
/// <param name="Supplier">Who supplies it as SPDX writes it (<c>Organization: Debian ... (list@...)</c>), or null when not recorded.</param>
/// <param name="License">The declared licence as an SPDX expression, or null when none is declared in a form SPDX knows.</param>
/// <param name="Purl">The package URL (<c>pkg:deb/debian/libc6@2.36-9?arch=amd64&amp;distro=debian-12</c>).</param>
public sealed record InstalledPackage(string Name, string Version, string Architecture, string? Supplier, string? License, string Purl);
