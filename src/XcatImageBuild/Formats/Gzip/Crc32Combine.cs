namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// Combines the CRC-32s of two pieces of data into the CRC-32 of their concatenation without reading the data again
/// (the method of zlib's crc32_combine: multiply by x^(8·length) modulo the CRC polynomial). This is what lets blocks
/// compressed in parallel, each with its own CRC, end as one gzip member.
/// </summary>
internal static class Crc32Combine
{
    // The reflected CRC-32 polynomial of gzip.
    private const uint Polynomial = 0xEDB88320;

    // PowersOfX[k] = x^(2^k) mod P, in reflected bit order.
    private static readonly uint[] PowersOfX = CreatePowers();

    /// <summary>The CRC-32 of A followed by B, from crc(A), crc(B) and the length of B.</summary>
    public static uint Combine(uint crcFirst, uint crcSecond, long lengthSecond) =>
        Multiply(PowerOfX(lengthSecond, 3), crcFirst) ^ crcSecond;

    // a·b modulo P, both in reflected bit order (the highest power of x is the lowest bit).
    private static uint Multiply(uint a, uint b)
    {
        var product = 0u;
        for (var bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
            }

            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }

        return product;
    }

    // x^(n·2^k) mod P.
    private static uint PowerOfX(long n, int k)
    {
        var result = 1u << 31; // x^0
        for (; n != 0; n >>= 1, k++)
        {
            if ((n & 1) != 0)
            {
                result = Multiply(PowersOfX[k & 31], result);
            }
        }

        return result;
    }

    private static uint[] CreatePowers()
    {
        var powers = new uint[32];
        var power = 1u << 30; // x^1
        powers[0] = power;
        for (var k = 1; k < 32; k++)
        {
            powers[k] = power = Multiply(power, power);
        }

        return powers;
    }
}
