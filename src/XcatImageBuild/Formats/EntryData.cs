using System.Buffers;

namespace XcatImageBuild.Formats;

/// <summary>Copies an archive entry's data, which must be exactly as long as its header said.</summary>
internal static class EntryData
{
    /// <summary>Copies <paramref name="length"/> bytes of <paramref name="data"/> to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The file shrank after its header was written.</exception>
    public static void CopyExactly(Stream data, Stream output, long length, string name)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 1 << 20));
        try
        {
            var left = length;
            while (left > 0)
            {
                var read = data.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
                if (read == 0)
                {
                    throw new InvalidDataException($"{name} shrank while it was archived ({length - left} of {length} bytes).");
                }

                output.Write(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
