using System.Text;
using XcatImageBuild.Cli;
using XcatImageBuild.Signing;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Signing;

public sealed class MinisignTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xcatimg-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Keygen_writes_a_secret_key_only_its_owner_can_read_and_a_public_key_in_minisign_formats()
    {
        // Given an empty directory
        // When keygen runs there without -o
        var result = Keygen();

        // Then xcatimg.key (0600) and xcatimg.pub are written, the public key names its id as minisign does
        Assert.True(result.ExitCode == 0, result.Error);
        var secret = Path.Combine(_directory, "xcatimg.key");
        var pub = Path.Combine(_directory, "xcatimg.pub");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        var publicLines = File.ReadAllLines(pub);
        var key = MinisignPublicKey.ReadFile(pub);
        Assert.Equal($"untrusted comment: minisign public key {key.KeyIdText}", publicLines[0]);
        Assert.Equal(56, publicLines[1].Length);
        Assert.StartsWith("RW", publicLines[1], StringComparison.Ordinal);
        var secretBlob = Convert.FromBase64String(File.ReadAllLines(secret)[1]);
        Assert.Equal(158, secretBlob.Length);
        Assert.Equal("Ed\0\0B2"u8.ToArray(), secretBlob[..6]);
        Assert.Equal(key.KeyIdText, MinisignSecretKey.ReadFile(secret).PublicKey.KeyIdText);
        Assert.Contains(key.KeyIdText, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_refuses_to_replace_an_existing_key_and_leaves_both_files_as_they_were()
    {
        // Given a key pair with the prefix 'site'
        Assert.Equal(0, Keygen("-o", "site").ExitCode);
        var before = File.ReadAllText(Path.Combine(_directory, "site.key"));
        File.Delete(Path.Combine(_directory, "site.pub"));

        // When keygen is asked for the same prefix again
        var result = Keygen("-o", "site");

        // Then it fails naming the secret key, and neither file was written
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: The key file {Path.Combine(_directory, "site.key")} exists already; keygen never replaces a key.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_directory, "site.key")));
        Assert.False(File.Exists(Path.Combine(_directory, "site.pub")));
    }

    [Fact]
    public void A_signature_verifies_with_its_key_and_carries_its_trusted_comment()
    {
        // Given a new key and a message
        var key = MinisignSecretKey.Generate();
        var message = "abc  kernel\n"u8.ToArray();

        // When the message is signed, and the signature written and read back
        var text = key.Sign(new MemoryStream(message), "timestamp:1700000000\tfile:SHA256SUMS\thashed").Format();
        var signature = MinisignSignature.Parse(text, "sig");

        // Then it is the prehashed form, and it verifies with the public key
        var lines = text.Split('\n');
        Assert.Equal("untrusted comment: signature from minisign secret key", lines[0]);
        Assert.Equal("ED"u8.ToArray(), Convert.FromBase64String(lines[1])[..2]);
        Assert.Equal("trusted comment: timestamp:1700000000\tfile:SHA256SUMS\thashed", lines[2]);
        Assert.True(signature.Prehashed);
        var (verifiedBy, problem) = signature.Verify(new MemoryStream(message), [key.PublicKey]);
        Assert.Null(problem);
        Assert.Equal(key.PublicKey.KeyIdText, verifiedBy!.KeyIdText);
    }

    [Fact]
    public void A_signature_is_refused_for_other_content_an_untrusted_key_or_a_changed_trusted_comment()
    {
        // Given a signature of a message
        var key = MinisignSecretKey.Generate();
        var other = MinisignSecretKey.Generate();
        var text = key.Sign(new MemoryStream("one\n"u8.ToArray()), "timestamp:1\tfile:x").Format();
        var signature = MinisignSignature.Parse(text, "sig");
        var changed = MinisignSignature.Parse(text.Replace("timestamp:1", "timestamp:2", StringComparison.Ordinal), "sig");

        // Then other content, another key and an edited trusted comment are each refused with the reason
        Assert.Contains("does not match the signed file", signature.Verify(new MemoryStream("two\n"u8.ToArray()), [key.PublicKey]).Problem, StringComparison.Ordinal);
        Assert.Contains($"made by the key {key.PublicKey.KeyIdText}, which is not trusted (the trusted keys are {other.PublicKey.KeyIdText})", signature.Verify(new MemoryStream("one\n"u8.ToArray()), [other.PublicKey]).Problem, StringComparison.Ordinal);
        Assert.Contains("trusted comment was changed after signing", changed.Verify(new MemoryStream("one\n"u8.ToArray()), [key.PublicKey]).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_file_of_another_kind_is_refused_with_its_path()
    {
        // Given a public key where a secret key is expected, an encrypted secret key, and text that is no key
        Assert.Equal(0, Keygen().ExitCode);
        var pub = Path.Combine(_directory, "xcatimg.pub");
        var encrypted = Path.Combine(_directory, "encrypted.key");
        var blob = Convert.FromBase64String(File.ReadAllLines(Path.Combine(_directory, "xcatimg.key"))[1]);
        "Sc"u8.CopyTo(blob.AsSpan(2));
        File.WriteAllText(encrypted, $"untrusted comment: minisign encrypted secret key\n{Convert.ToBase64String(blob)}\n");
        var junk = Path.Combine(_directory, "junk.pub");
        File.WriteAllText(junk, "hello\n");

        // Then each is refused naming the file and what is wrong
        Assert.Contains($"The secret key {pub} is not a minisign secret key", Assert.Throws<XcatException>(() => MinisignSecretKey.ReadFile(pub)).Message, StringComparison.Ordinal);
        var e = Assert.Throws<XcatException>(() => MinisignSecretKey.ReadFile(encrypted));
        Assert.Contains($"The secret key {encrypted} is encrypted with a password", e.Message, StringComparison.Ordinal);
        Assert.Contains("minisign -C -W", e.Hint, StringComparison.Ordinal);
        Assert.Contains($"The public key {junk} is not a minisign public key", Assert.Throws<XcatException>(() => MinisignPublicKey.ReadFile(junk)).Message, StringComparison.Ordinal);
        Assert.Contains("Cannot find the public key", Assert.Throws<XcatException>(() => MinisignPublicKey.ReadFile(junk + ".missing")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_secret_key_is_refused_rather_than_used()
    {
        // Given a secret key one of whose secret bytes changed
        Assert.Equal(0, Keygen().ExitCode);
        var path = Path.Combine(_directory, "xcatimg.key");
        var lines = File.ReadAllLines(path);
        var blob = Convert.FromBase64String(lines[1]);
        blob[70] ^= 1;
        File.WriteAllText(path, $"{lines[0]}\n{Convert.ToBase64String(blob)}\n", Encoding.ASCII);

        // Then reading it fails on its checksum
        Assert.Contains("is damaged: its checksum does not match", Assert.Throws<XcatException>(() => MinisignSecretKey.ReadFile(path)).Message, StringComparison.Ordinal);
    }

    private CliResult Keygen(params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess() with { WorkingDirectory = _directory }, ["keygen", .. args]);
}
