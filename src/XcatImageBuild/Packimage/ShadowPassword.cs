using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace XcatImageBuild.Packimage;

/// <summary>The root password hash packimage writes into the image's <c>/etc/shadow</c> (xcat-spec §2.3 step 6).</summary>
internal static partial class ShadowPassword
{
    private const string SaltAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// The passwd table's password as is when it is already crypted (<c>$id$...</c>), else crypted with its
    /// cryptmethod (md5, sha256, default sha512). <paramref name="saltSeed"/> makes the salt reproducible.
    /// </summary>
    /// <exception cref="XcatException">libcrypt refuses the method.</exception>
    public static string Hash(string password, string? cryptMethod, byte[]? saltSeed)
    {
        if (password.StartsWith('$'))
        {
            return password;
        }

        var prefix = cryptMethod switch
        {
            "md5" => "$1$",
            "sha256" => "$5$",
            _ => "$6$",
        };
        var seed = saltSeed is null ? RandomNumberGenerator.GetBytes(16) : SHA256.HashData(saltSeed)[..16];
        var salt = new string([.. seed.Select(b => SaltAlphabet[b % SaltAlphabet.Length])]);
        var result = crypt(Encoding.UTF8.GetBytes(password + "\0"), Encoding.ASCII.GetBytes(prefix + salt + "$\0"));
        var hash = result == 0 ? null : Marshal.PtrToStringUTF8(result);
        return hash is null || !hash.StartsWith(prefix, StringComparison.Ordinal)
            ? throw new XcatException($"Cannot crypt the root password with {cryptMethod ?? "sha512"}.")
            : hash;
    }

    [LibraryImport("libcrypt.so.1")]
    private static partial nint crypt(byte[] key, byte[] salt);
}
