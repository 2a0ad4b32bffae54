using System.Text;
using XcatImageBuild.Bundles.Manifest;

namespace XcatImageBuild.Tests.Bundles;

public sealed class ManifestWriterTests
{
    [Fact]
    public void A_netboot_manifest_is_byte_identical_to_what_xml_simple_writes()
    {
        // Given the manifest of a netboot image exported with -p and -e
        var manifest = SampleManifests.NetbootWithExtraAndPostscripts();

        // When we write it and Perl's XML::Simple writes xCAT's hash of it
        var ours = ManifestWriter.ToBytes(manifest);
        var perl = XmlSimple.XmlOut(manifest);

        // Then the bytes are the same
        Assert.Equal(Encoding.UTF8.GetString(perl), Encoding.UTF8.GetString(ours));
        Assert.Equal(perl, ours);
    }

    [Fact]
    public void Kits_extras_raw_files_escaping_and_non_ascii_text_match_xml_simple_byte_for_byte()
    {
        // Given a manifest with every element: several kits (one with an "id" column), two extras, raw files,
        // and text that needs escaping
        var manifest = SampleManifests.Everything();

        // When both write it
        var ours = ManifestWriter.ToBytes(manifest);
        var perl = XmlSimple.XmlOut(manifest);

        // Then they agree byte for byte
        Assert.Equal(Encoding.UTF8.GetString(perl), Encoding.UTF8.GetString(ours));
        Assert.Equal(perl, ours);
    }

    [Fact]
    public void A_single_kit_and_a_single_extra_are_written_like_xml_simple_writes_them()
    {
        // Given one kit row and one extra
        var manifest = SampleManifests.NetbootWithExtraAndPostscripts();
        manifest.Kits.Add(new ManifestKitEntry("only", [new("kitname", "only"), new("kitdir", "/install/kits/only")]));

        // When both write it
        var ours = ManifestWriter.ToBytes(manifest);

        // Then they agree
        Assert.Equal(Encoding.UTF8.GetString(XmlSimple.XmlOut(manifest)), Encoding.UTF8.GetString(ours));
    }

    [Fact]
    public void The_netboot_manifest_matches_the_golden_file()
    {
        Testing.Golden.Check("manifest-netboot-p-e.xml", ManifestWriter.ToXml(SampleManifests.NetbootWithExtraAndPostscripts()));
    }

    [Fact]
    public void Xml_simple_reads_our_manifest_back_into_the_structure_xcats_importer_expects()
    {
        // Given our manifest on disk
        var path = Path.Combine(Directory.CreateTempSubdirectory("manifest-").FullName, "manifest.xml");
        try
        {
            ManifestWriter.WriteFile(SampleManifests.Everything(), path);

            // When xCAT's importer parses it (XMLin with default options)
            var data = XmlSimple.XmlIn(path);

            // Then the tables, files, postscripts, extras and kits are where imgimport looks for them
            Assert.Equal(SampleManifests.Netboot, XmlSimple.Text(data["osimage"]!["imagename"]));
            Assert.Equal("netboot", XmlSimple.Text(data["osimage"]!["provmethod"]));
            Assert.Equal("Tom & Jerry's <image> \"quoted\" été", XmlSimple.Text(data["osimage"]!["description"]));
            Assert.Equal(SampleManifests.RootImgDir, XmlSimple.Text(data["linuximage"]!["rootimgdir"]));
            Assert.Equal(SampleManifests.RootImgDir + "/rootimg.cpio.gz", XmlSimple.Text(data["rootimg"]));
            Assert.Equal("syslog,remoteshell,syncfiles,mypost", XmlSimple.Text(data["postscripts"]));
            Assert.Equal("/install/postscripts/myscript1", XmlSimple.Text(data["extra"]![0]!["src"]));
            Assert.Equal("/install/postscripts", XmlSimple.Text(data["extra"]![0]!["dest"]));
            Assert.Equal("/install/raw/b.img", XmlSimple.Text(data["rawimagefiles"]!["files"]![1]));
            // two kits fold back into a hash keyed by name, as set_config iterates them
            Assert.Equal("/install/kits/kit-a", XmlSimple.Text(data["kit"]!["kit-a"]!["kitdir"]));
            Assert.Equal("/install/kits/kit-b", XmlSimple.Text(data["kit"]!["kit-b"]!["kitdir"]));
            Assert.Equal("kit-a", XmlSimple.Text(data["kitcomp"]!["comp-b"]!["kitname"]));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
