using XcatImageBuild.Bundles.Manifest;
namespace XcatImageBuild.Tests.Bundles;

public sealed class ManifestReaderTests
{
    [Fact]
    public void A_written_manifest_reads_back_to_the_same_content()
    {
        // Given a manifest with every element
        var original = SampleManifests.Everything();

        // When it is written and read back
        var read = ManifestReader.Parse(ManifestWriter.ToXml(original));

        // Then writing it again gives the same bytes, and the values survived escaping
        Assert.Equal(ManifestWriter.ToXml(original), ManifestWriter.ToXml(read));
        Assert.Equal("Tom & Jerry's <image> \"quoted\" été", read.OsImage["description"]);
        Assert.Equal(["kit-a", "kit-b"], read.Kits.Select(k => k.Name));
        Assert.Equal("/install/kits/kit-b", read.Kits[1].Columns["kitdir"]);
        Assert.False(read.Kits[0].Columns.ContainsKey("name"));
        Assert.Equal(2, read.Extras.Count);
        Assert.Equal(["/install/raw/a.img", "/install/raw/b.img"], read.RawImageFiles);
    }

    [Fact]
    public void A_single_extra_a_single_files_and_a_single_kit_are_read()
    {
        var read = ManifestReader.Parse("""
            <?xml version="1.0"?>
            <xcatimage>
              <extra><dest>/d</dest><src>/s/f</src></extra>
              <kit><kitname>k1</kitname><kitdir>/install/kits/k1</kitdir></kit>
              <osimage><imagename>img</imagename></osimage>
              <rawimagefiles><files>/install/raw/x.img</files></rawimagefiles>
            </xcatimage>
            """);

        Assert.Equal([new ManifestExtra("/s/f", "/d")], read.Extras);
        Assert.Equal(["/install/raw/x.img"], read.RawImageFiles);
        var kit = Assert.Single(read.Kits);
        Assert.Equal("k1", kit.Name);
        Assert.Equal("/install/kits/k1", kit.Columns["kitdir"]);
    }

    [Fact]
    public void Kit_rows_nested_under_their_names_and_attributes_are_read()
    {
        var read = ManifestReader.Parse("""
            <xcatimage>
              <kitrepo><repo1><kitname>k1</kitname></repo1><repo2><kitname>k2</kitname></repo2></kitrepo>
              <kitcomp name="c1" kitname="k1"/>
              <osimage imagename="img"><profile>compute</profile></osimage>
            </xcatimage>
            """);

        Assert.Equal(["repo1", "repo2"], read.KitRepos.Select(r => r.Name));
        Assert.Equal("k2", read.KitRepos[1].Columns["kitname"]);
        Assert.Equal("c1", Assert.Single(read.KitComponents).Name);
        Assert.Equal("img", read.ImageName);
        Assert.Equal("compute", read.Profile);
    }

    [Fact]
    public void The_flat_format_of_xcat_2_7_puts_columns_under_their_tables_and_imagename_under_both()
    {
        // Given a manifest as xCAT 2.7 wrote it (generate_img.rst), without osimage/linuximage wrappers
        var read = ManifestReader.Parse("""
            <?xml version="1.0"?>
            <xcatimage>
              <imagename>Default_Stateful</imagename>
              <kernel>/install/netboot/centos5.4/x86_64/compute/kernel</kernel>
              <osarch>x86_64</osarch>
              <osvers>centos5.4</osvers>
              <pkglist>/opt/xcat/share/xcat/install/centos/all.pkglist</pkglist>
              <postscripts>mypost</postscripts>
              <profile>all</profile>
              <provmethod>install</provmethod>
              <template>/opt/xcat/share/xcat/install/centos/all.tmpl</template>
            </xcatimage>
            """);

        // Then manifest_adapter's result comes out
        Assert.Equal("Default_Stateful", read.OsImage["imagename"]);
        Assert.Equal("Default_Stateful", read.LinuxImage["imagename"]);
        Assert.Equal("install", read.ProvMethod);
        Assert.Equal("/opt/xcat/share/xcat/install/centos/all.tmpl", read.LinuxImage["template"]);
        Assert.False(read.OsImage.ContainsKey("template"));
        Assert.Equal("mypost", read.OsImage["postscripts"]);
        Assert.Null(read.Postscripts);
        Assert.Equal("/install/netboot/centos5.4/x86_64/compute/kernel", read.Kernel);
    }

    [Fact]
    public void A_manifest_with_a_dtd_is_refused_and_its_entities_are_never_expanded()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse("""
            <?xml version="1.0"?>
            <!DOCTYPE xcatimage [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <xcatimage><osimage><imagename>&secret;</imagename></osimage></xcatimage>
            """));

        Assert.StartsWith("invalid manifest.xml file inside the bundle.  Please verify the XML: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xml_gives_xcats_message_with_the_parser_detail()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse("<xcatimage><osimage></xcatimage>"));

        Assert.StartsWith("invalid manifest.xml file inside the bundle.  Please verify the XML: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("osimage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kit_row_without_any_name_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse("<xcatimage><kit><kitdir>/k</kitdir></kit></xcatimage>"));

        Assert.Contains("<kit> entry has neither a <name> nor a <kitname>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_nested_deeper_than_the_bound_is_refused_naming_the_bound()
    {
        // Given a manifest nested 200,000 elements deep (a few kilobytes compressed)
        var xml = "<xcatimage>" + string.Concat(Enumerable.Repeat("<a>", 200_000)) + string.Concat(Enumerable.Repeat("</a>", 200_000)) + "</xcatimage>";

        // When it is read, then it is refused at the bound
        var e = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse(xml));
        Assert.Contains($"nests elements more than {ManifestReader.MaxDepth} levels deep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_of_more_elements_than_the_bound_is_refused_naming_the_bound()
    {
        var xml = "<xcatimage>" + string.Concat(Enumerable.Repeat("<extra src=\"/a\"/>", ManifestReader.MaxNodes)) + "</xcatimage>";

        var e = Assert.Throws<InvalidDataException>(() => ManifestReader.Parse(xml));
        Assert.Contains($"has more than {ManifestReader.MaxNodes} elements and attributes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixty_thousand_extras_are_read_within_the_bounds()
    {
        // Given a manifest of 60,000 extras, each with its src and dest
        var xml = "<xcatimage><osimage><imagename>img</imagename></osimage>"
            + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"<extra><src>/srv/f{i}</src><dest>/install/x</dest></extra>")) + "</xcatimage>";

        // When it is read, then every extra is there, in order
        var read = ManifestReader.Parse(xml);
        Assert.Equal(60_000, read.Extras.Count);
        Assert.Equal(new ManifestExtra("/srv/f59999", "/install/x"), read.Extras[^1]);
    }

    [Fact]
    public void Whitespace_comments_and_namespaces_read_as_before()
    {
        var read = ManifestReader.Parse("""
            <xcatimage xmlns:x="urn:x">
              <!-- a comment -->
              <osimage x:note="n"><imagename>img</imagename><profile>  </profile><osvers><![CDATA[rhels8]]></osvers></osimage>
              <kernel>
            /install/k</kernel>
            </xcatimage>
            """);

        Assert.Equal("img", read.ImageName);
        Assert.Equal("  ", read.OsImage["profile"]);
        Assert.Equal("rhels8", read.OsImage["osvers"]);
        Assert.Equal("n", read.OsImage["note"]);
        Assert.Equal("\n/install/k", read.Kernel);
    }
}
