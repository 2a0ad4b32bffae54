using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Packimage;

public sealed class ArchiveFormatTests
{
    [Theory]
    [InlineData("pigz", 12)]
    [InlineData("gzip", 12)]
    [InlineData("xz", 9)]
    [InlineData("zstd", 19)]
    public void Best_is_the_compressors_highest_level_whatever_level_says(string compressor, int highest)
    {
        Assert.Equal(highest, ArchiveFormat.Resolve(null, compressor, null, best: true, new ProcessRunner()).Level);
        Assert.Equal(highest, ArchiveFormat.Resolve(null, compressor, 1, best: true, new ProcessRunner()).Level);
    }

    [Theory]
    [InlineData("pigz", 5)]
    [InlineData("xz", 6)]
    [InlineData("zstd", 3)]
    public void Without_best_or_a_level_each_compressor_gets_its_default(string compressor, int normal) =>
        Assert.Equal(normal, ArchiveFormat.Resolve(null, compressor, null, best: false, new ProcessRunner()).Level);

    [Fact]
    public void A_level_out_of_the_compressors_range_is_refused()
    {
        var refused = Assert.Throws<XcatException>(() => ArchiveFormat.Resolve(null, "gzip", 12, best: false, new ProcessRunner()));

        Assert.Equal("Invalid compression level 12 for gzip: use 1 to 9.", refused.Message);
    }
}
