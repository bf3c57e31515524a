package org.leakscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records name files as triage does: below the argument as given; other file systems by URI. */
class DisplayNamesTest {
    private static URI local(String path) {
        return Path.of(path).toAbsolutePath().normalize().toUri();
    }

    @Test
    void localFilesAreNamedBelowTheArgumentAsGiven() {
        DisplayNames n = DisplayNames.of(List.of("./dumps/", "/srv/crash files", "file:/data/logs", "hdfs://nn/x"));
        assertEquals(Path.of("dumps/a/1.dmp").toString(), n.of(local("dumps/a/1.dmp")));
        assertEquals("/srv/crash files/b 2.dmp", n.of(local("/srv/crash files/b 2.dmp")));
        assertEquals("/data/logs/run.log", n.of(URI.create("file:/data/logs/run.log")));
        assertEquals("/elsewhere/x.dmp", n.of(URI.create("file:/elsewhere/x.dmp")));
        assertEquals("hdfs://nn/x/y.dmp", n.of(URI.create("hdfs://nn/x/y.dmp")));
        assertEquals("s3a://bucket/d/z.dmp", n.of(URI.create("s3a://bucket/d/z.dmp")));
    }

    @Test
    void aFileArgumentIsItsOwnName() {
        DisplayNames n = DisplayNames.of(List.of("../testdata/minidump/sample.dmp"));
        assertEquals(Path.of("../testdata/minidump/sample.dmp").toString(),
                n.of(local("../testdata/minidump/sample.dmp")));
    }
}
