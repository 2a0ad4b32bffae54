using System.Security.Cryptography;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Bundles;

public sealed class ChecksumListTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("checksums-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_list_of_a_directory_is_verified_by_real_sha256sum()
    {
        // Given an image directory with files at the top and under extra/
        Write("manifest.xml", "<xcatimage/>\n");
        Write("kernel", "kernel bytes");
        Write("extra/install/custom/b c.txt", "spaced name");

        // When its list is written into it
        var list = new ChecksumList(Files().Select(f => new ChecksumEntry(f.Key, f.Value)));
        File.WriteAllBytes(Path.Combine(_directory, ChecksumList.FileName), list.ToBytes());

        // Then the paths are sorted ordinally, and sha256sum -c accepts it
        Assert.Equal(["extra/install/custom/b c.txt", "kernel", "manifest.xml"], list.Entries.Select(e => e.Path));
        var result = new ProcessRunner().Run(new ToolCommand("sha256sum", ["-c", ChecksumList.FileName]) { WorkingDirectory = _directory });
        Assert.Contains("kernel: OK", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(ChecksumList.ReadFile(Path.Combine(_directory, ChecksumList.FileName)).Verify(Files(), "img"));
    }

    [Fact]
    public void Verify_names_a_changed_file_a_missing_file_and_an_unlisted_file()
    {
        Write("kernel", "kernel bytes");
        Write("manifest.xml", "m");
        var list = new ChecksumList(Files().Select(f => new ChecksumEntry(f.Key, f.Value)));
        Write("kernel", "tampered");
        File.Delete(Path.Combine(_directory, "manifest.xml"));
        Write("extra/evil", "x");

        var problems = list.Verify(Files(), "img");

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("The checksum of img/kernel does not match img/SHA256SUMS (expected ", problems[0], StringComparison.Ordinal);
        Assert.Equal("The checksum list img/SHA256SUMS names manifest.xml, which the bundle does not have.", problems[1]);
        Assert.Equal("The member img/extra/evil is not in the checksum list img/SHA256SUMS.", problems[2]);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/./b")]
    public void Parse_refuses_a_path_that_could_leave_the_image_directory(string path)
    {
        var error = Assert.Throws<InvalidDataException>(() => ChecksumList.Parse(new string('a', 64) + "  " + path + "\n"));

        Assert.StartsWith("SHA256SUMS line 1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reads_text_and_binary_markers_and_names_a_malformed_line()
    {
        var hex = new string('0', 64);
        var list = ChecksumList.Parse($"{hex}  b\n{hex} *a\n");
        Assert.Equal(["a", "b"], list.Entries.Select(e => e.Path));

        var error = Assert.Throws<InvalidDataException>(() => ChecksumList.Parse($"{hex}  a\nnot a line\n"));
        Assert.StartsWith("SHA256SUMS line 2 is not", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every regular file under the directory except SHA256SUMS, with its SHA-256, as import hands them to Verify.</summary>
    private Dictionary<string, string> Files() =>
        Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_directory, f))
            .Where(p => p != ChecksumList.FileName)
            .ToDictionary(p => p, p => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_directory, p)))), StringComparer.Ordinal);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
