namespace XcatImageBuild.Boottest;

/// <summary>A node that booted its image and printed a ready marker meeting every check.</summary>
/// <param name="Node">The node.</param>
/// <param name="Image">The osimage it booted.</param>
/// <param name="Marker">The ready marker line it printed.</param>
/// <param name="Elapsed">From qemu's start to the marker.</param>
/// <param name="ConsoleLog">The logical path of the serial console log.</param>
public sealed record BoottestResult(string Node, string Image, string Marker, TimeSpan Elapsed, string ConsoleLog);
