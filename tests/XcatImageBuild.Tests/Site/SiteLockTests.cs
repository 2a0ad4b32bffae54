using System.Text;
using XcatImageBuild.Processes;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Site;

public sealed class SiteLockTests
{
    [Fact]
    public void A_packimage_process_refused_by_the_lock_names_the_process_that_holds_it()
    {
        // Given a packable image whose directory's lock this test process holds
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        using var held = SiteLock.ForImageDirectory(site.Site, image.Directory);

        // When the real xcatimg, a second process, packs it
        var dll = Path.Combine(AppContext.BaseDirectory, "xcatimg.dll");
        var result = new ProcessRunner().RunUnchecked(new ToolCommand("dotnet", [dll, "--site", site.Directory, "packimage", NetbootImage.Name]));

        // Then it is refused with xCAT's message naming this process
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: failed to acquire lock, seems there is another genimage/packimage/rmimage process {Environment.ProcessId} running on root image dir \"{image.Directory}\"\n",
            result.StandardError);
    }

    [Fact]
    public void A_released_lock_names_nobody_and_can_be_taken_again()
    {
        using var site = new TempSite();
        var first = SiteLock.ForImport(site.Site, "img");
        first.Dispose();
        Assert.False(File.Exists(first.LockFile + ".pid"));

        using var second = SiteLock.ForImport(site.Site, "img");

        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(second.LockFile + ".pid"));
    }

    [Fact]
    public void Locks_for_names_longer_than_a_file_name_stay_within_the_limit_and_still_exclude()
    {
        // Given an image name and a root image directory far longer than the 255-byte file-name limit
        using var site = new TempSite();
        var name = new string('n', 300);
        var directory = "/install/netboot/" + string.Join('/', Enumerable.Repeat(new string('d', 200), 2));

        // When each is locked, and locked a second time
        using var import = SiteLock.ForImport(site.Site, name);
        using var image = SiteLock.ForImageDirectory(site.Site, directory);
        var importAgain = Assert.Throws<XcatException>(() => SiteLock.ForImport(site.Site, name));
        var imageAgain = Assert.Throws<XcatException>(() => SiteLock.ForImageDirectory(site.Site, directory));

        // Then every lock file name fits, and the second taker is told who holds the lock
        Assert.All(Directory.GetFiles(site.Map(SiteLock.LogicalDirectory)), f => Assert.True(Encoding.UTF8.GetByteCount(Path.GetFileName(f)) <= 255, f));
        Assert.Equal($"Another imgimport of the image '{name}' is running (process {Environment.ProcessId}); wait for it to finish and try again.", importAgain.Message);
        Assert.Contains($"process {Environment.ProcessId} running on root image dir \"{directory}\"", imageAgain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_long_names_with_the_same_beginning_get_different_locks()
    {
        using var site = new TempSite();
        var stem = "/install/netboot/" + new string('d', 250);

        using var one = SiteLock.ForImageDirectory(site.Site, stem + "/one");
        using var two = SiteLock.ForImageDirectory(site.Site, stem + "/two");

        Assert.NotEqual(one.LockFile, two.LockFile);
    }

    [Fact]
    public void A_lock_file_that_cannot_be_made_is_reported_as_such_not_as_a_lock_held_by_another_process()
    {
        // Given a site whose lock directory is a file
        using var site = new TempSite();
        Directory.CreateDirectory(site.Map("/var/lock"));
        File.WriteAllText(site.Map(SiteLock.LogicalDirectory), "not a directory\n");

        // When an import's lock is taken
        var refused = Assert.Throws<XcatException>(() => SiteLock.ForImport(site.Site, "img"));

        // Then the message names the lock file, not another import
        Assert.StartsWith($"Cannot take the lock {site.Map(SiteLock.LogicalDirectory)}/imgimport.image.img.lock: ", refused.Message, StringComparison.Ordinal);
    }
}
