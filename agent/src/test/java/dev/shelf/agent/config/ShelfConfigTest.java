package dev.shelf.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration is read exactly, and everything it does not accept is refused with a line that says what is. */
class ShelfConfigTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("shelf.properties");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void noArgumentMeansDefaults() throws Exception {
        assertThat(ShelfConfig.fromAgentArgs(null)).isEqualTo(ShelfConfig.DEFAULTS);
        assertThat(ShelfConfig.fromAgentArgs("")).isEqualTo(ShelfConfig.DEFAULTS);
    }

    @Test
    void fileIsRead() throws Exception {
        Path f = file("shelf.enabled=false\nshelf.include=com.acme, org.example.api\nshelf.exclude=com.acme.legacy\n"
                + "shelf.pool.maxPerThread=8\nshelf.explain=TRUE\n");
        ShelfConfig c = ShelfConfig.fromAgentArgs("config=" + f);
        assertThat(c).isEqualTo(new ShelfConfig(false, List.of("com.acme", "org.example.api"),
                List.of("com.acme.legacy"), 8, true));
    }

    @Test
    void agentArgumentsOverrideTheFileAndListsContinueAcrossCommas() throws Exception {
        Path f = file("shelf.pool.maxPerThread=8\nshelf.include=x.y\n");
        ShelfConfig c = ShelfConfig.fromAgentArgs("config=" + f + ",pool.maxPerThread=3,include=com.a,com.b,"
                + "shelf.explain=true");
        assertThat(c.maxPerThread()).isEqualTo(3);
        assertThat(c.include()).containsExactly("com.a", "com.b");
        assertThat(c.explain()).isTrue();
    }

    @Test
    void precedenceIsFileThenEnvironmentThenSystemPropertiesThenAgentArguments() throws Exception {
        Path f = file("shelf.pool.maxPerThread=1\nshelf.pool.maxShared=1\nshelf.eviction=none\nshelf.explain=true\n");
        Map<String, String> env = Map.of("SHELF_CONFIG", f.toString(), "SHELF_POOL_MAXPERTHREAD", "2",
                "SHELF_POOL_MAXSHARED", "2", "SHELF_EVICTION", "gc", "PATH", "/usr/bin");
        Properties props = new Properties();
        props.setProperty("shelf.pool.maxPerThread", "3");
        props.setProperty("shelf.pool.maxShared", "3");
        props.setProperty("java.home", "/ignored");
        ShelfConfig c = ShelfConfig.load("pool.maxPerThread=4", env, props);

        assertThat(c.maxPerThread()).as("agent argument beats everything").isEqualTo(4);
        assertThat(c.maxShared()).as("system property beats environment and file").isEqualTo(3);
        assertThat(c.eviction()).as("environment beats file").isEqualTo(ShelfConfig.Eviction.GC);
        assertThat(c.explain()).as("file beats defaults").isTrue();
    }

    @Test
    void configFileCanBeNamedBySystemPropertyOrEnvironment() throws Exception {
        Path f = file("shelf.mode=strict\n");
        Properties props = new Properties();
        props.setProperty("shelf.config", f.toString());
        assertThat(ShelfConfig.load(null, Map.of(), props).strict()).isTrue();
        assertThat(ShelfConfig.load(null, Map.of("SHELF_CONFIG", f.toString()), new Properties()).strict()).isTrue();
    }

    @Test
    void everyNewKeyIsReadAndChecked() throws Exception {
        Path out = dir.resolve("report.json");
        Path dump = dir.resolve("dump/nested");
        ShelfConfig c = ShelfConfig.fromAgentArgs("report=exit,report.file=" + out + ",jmx=false,dump.dir=" + dump);
        assertThat(c.report()).isEqualTo(ShelfConfig.Report.EXIT);
        assertThat(c.reportFile()).isEqualTo(out.toAbsolutePath());
        assertThat(c.jmx()).isFalse();
        assertThat(c.dumpDir()).isDirectory();
        assertThat(ShelfConfig.DEFAULTS.jmx()).isTrue();
        assertThat(ShelfConfig.DEFAULTS.report()).isEqualTo(ShelfConfig.Report.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pool.maxIdleBytes=64m        | 67108864 | 1048576",
        "pool.maxIdleBytes=1048576    | 1048576  | 1048576",
        "pool.maxIdleBytes=2g         | 2147483648 | 1048576",
        "pool.maxIdleBytes=512 KiB    | 524288   | 1048576",
        "pool.maxIdleBytes=0          | 0        | 1048576",
        "pool.maxIdleBytes=6%         | -600     | 1048576",
        "pool.maxIdleBytes=6.25%      | -625     | 1048576",
        "pool.maxIdleBytes=0%         | 0        | 1048576",
        "pool.maxRetainedBytes=64k    | -625     | 65536",
        "pool.maxRetainedBytes=0      | -625     | 0",
        "pool.maxRetainedBytes=1g     | -625     | 1073741824",
    })
    void byteBoundsTakeSizesWithSuffixesAndTheIdleBudgetAShareOfTheHeap(String arg, long idle, long retained)
            throws Exception {
        ShelfConfig c = ShelfConfig.fromAgentArgs(arg);
        assertThat(c.maxIdleBytes()).isEqualTo(idle);
        assertThat(c.maxRetainedBytes()).isEqualTo(retained);
    }

    @Test
    void sitesAreTurnedBackAfterTenThousandUnreleasedAcquisitionsUnlessSetOtherwise() throws Exception {
        assertThat(ShelfConfig.fromAgentArgs(null).revertAfter()).isEqualTo(10_000);
        assertThat(ShelfConfig.fromAgentArgs("sites.revertAfter=0").revertAfter()).isZero();
        assertThat(ShelfConfig.fromAgentArgs("sites.revertAfter=500").revertAfter()).isEqualTo(500);
    }

    @Test
    void byteBoundsDefaultToASixteenthOfTheHeapAndOneMebibyte() throws Exception {
        assertThat(ShelfConfig.fromAgentArgs(null).maxIdleBytes()).isEqualTo(ShelfConfig.IDLE_BYTES_OF_HEAP)
                .isEqualTo(-625);
        assertThat(ShelfConfig.fromAgentArgs(null).maxRetainedBytes()).isEqualTo(1L << 20);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pool.maxIdleBytes=lots   | shelf.pool.maxIdleBytes='lots' is not accepted; expected a size in bytes, optionally with a suffix k, m or g (e.g. 64m), or a share of the maximum heap in percent from 0% to 50% (e.g. 6%)",
        "pool.maxIdleBytes=-1     | shelf.pool.maxIdleBytes='-1' is not accepted",
        "pool.maxIdleBytes=60%    | shelf.pool.maxIdleBytes='60%' is not accepted",
        "pool.maxIdleBytes=3t     | shelf.pool.maxIdleBytes='3t' is not accepted",
        "pool.maxRetainedBytes=2g | shelf.pool.maxRetainedBytes='2g' is not accepted; expected a size in bytes from 0 to 1g",
        "pool.maxRetainedBytes=5% | shelf.pool.maxRetainedBytes='5%' is not accepted",
        "sites.revertAfter=-1     | shelf.sites.revertAfter='-1' is not accepted; expected a whole number from 0 (never) to 1073741824",
        "sites.revertAfter=soon   | shelf.sites.revertAfter='soon' is not accepted",
    })
    void badByteBoundsAreRefusedWithWhatIsAccepted(String arg, String expected) {
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs(arg)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent argument: " + expected);
    }

    @Test
    void cacheDirIsCreatedAndOffByDefault() throws Exception {
        Path cache = dir.resolve("cache/nested");
        assertThat(ShelfConfig.fromAgentArgs("cache.dir=" + cache).cacheDir()).isEqualTo(cache.toAbsolutePath())
                .isDirectory();
        assertThat(ShelfConfig.DEFAULTS.cacheDir()).isNull();
    }

    @Test
    void cacheDirOthersCanWriteToIsRefused() throws Exception {
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs("cache.dir=" + open))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent argument: shelf.cache.dir='" + open + "' is not accepted")
                .hasMessageContaining("other users can write to it");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(ShelfConfig.fromAgentArgs("cache.dir=" + open).cacheDir()).isEqualTo(open.toAbsolutePath());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SHELF_POOL_MAXPERTHREAD | many | environment variable SHELF_POOL_MAXPERTHREAD: shelf.pool.maxPerThread='many'",
        "SHELF_COLOUR            | red  | environment variable SHELF_COLOUR: unknown key; known variables are SHELF_ENABLED",
        "SHELF_MODE              | lax  | environment variable SHELF_MODE: shelf.mode='lax' is not accepted",
        "SHELF_CONFIG            | /no/such.properties | config file /no/such.properties: cannot be read",
    })
    void badEnvironmentIsRefused(String name, String value, String expected) {
        assertThatThrownBy(() -> ShelfConfig.load(null, Map.of(name, value), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "shelf.report        | always | system property -Dshelf.report: shelf.report='always' is not accepted; expected none or exit",
        "shelf.jmx           | on     | system property -Dshelf.jmx: shelf.jmx='on' is not accepted",
        "shelf.pools         | 3      | system property -Dshelf.pools: unknown key 'shelf.pools'",
        "shelf.report.file   | /no/such/dir/r.json | shelf.report.file='/no/such/dir/r.json' is not accepted",
        "shelf.dump.dir      | /proc/shelf-dump    | shelf.dump.dir='/proc/shelf-dump' is not accepted",
        "shelf.cache.dir     | /proc/shelf-cache   | shelf.cache.dir='/proc/shelf-cache' is not accepted",
    })
    void badSystemPropertiesAreRefused(String name, String value, String expected) {
        Properties props = new Properties();
        props.setProperty(name, value);
        assertThatThrownBy(() -> ShelfConfig.load(null, Map.of(), props))
                .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void modeIsNormalUnlessStrict() throws Exception {
        assertThat(ShelfConfig.fromAgentArgs("mode=strict").strict()).isTrue();
        assertThat(ShelfConfig.fromAgentArgs("mode=NORMAL").strict()).isFalse();
        assertThat(ShelfConfig.DEFAULTS.strict()).isFalse();
    }

    @Test
    void scopeMatchesWholePackageSegments() {
        ShelfConfig c = new ShelfConfig(true, List.of("com.acme"), List.of("com.acme.legacy"), 64, false);
        assertThat(c.inScope("com/acme/Order")).isTrue();
        assertThat(c.inScope("com/acme/api/Order")).isTrue();
        assertThat(c.inScope("com/acmez/Order")).isFalse();
        assertThat(c.inScope("com/acme/legacy/Order")).isFalse();
        assertThat(c.inScope("org/other/Order")).isFalse();
        assertThat(ShelfConfig.DEFAULTS.inScope("org/other/Order")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "shelf.enabled=yes            | shelf.enabled='yes' is not accepted; expected true or false",
        "shelf.pool.maxPerThread=0    | shelf.pool.maxPerThread='0' is not accepted; expected a whole number from 1",
        "shelf.pool.maxPerThread=-5   | shelf.pool.maxPerThread='-5' is not accepted",
        "shelf.pool.maxPerThread=ten  | shelf.pool.maxPerThread='ten' is not accepted",
        "shelf.pool.maxPerThread=99999999999 | shelf.pool.maxPerThread='99999999999' is not accepted",
        "shelf.include=com.acme,3com  | '3com' is not a package name",
        "shelf.exclude=com..acme      | 'com..acme' is not a package name",
        "shelf.explain=                | shelf.explain='' is not accepted",
        "shelf.mode=paranoid           | shelf.mode='paranoid' is not accepted; expected normal or strict",
        "shelf.maxPerThread=4         | unknown key 'shelf.maxPerThread'; known keys are shelf.enabled",
        "pool.maxPerThread=4          | unknown key 'pool.maxPerThread'",
    })
    void badFileEntriesNameTheFileKeyAndWhatIsAccepted(String line, String expected) throws Exception {
        Path f = file(line + "\n");
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs("config=" + f))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + f.toAbsolutePath())
                .hasMessageContaining(expected);
    }

    @Test
    void missingFileIsRefused() {
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs("config=" + dir.resolve("nope.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties: cannot be read (no such file)");
    }

    @Test
    void malformedPropertiesFileIsRefused() throws Exception {
        Path f = file("shelf.include=\\u12\n");
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs("config=" + f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("expected a UTF-8 properties file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxPerThread                 | agent argument: 'maxPerThread' is not key=value",
        "=3                           | agent argument: '=3' has no key",
        "config=                      | agent argument: config needs a path",
        "bogus=1                      | agent argument: unknown key 'shelf.bogus'",
        "enabled=maybe                | agent argument: shelf.enabled='maybe' is not accepted",
    })
    void badAgentArgumentsAreRefused(String args, String expected) {
        assertThatThrownBy(() -> ShelfConfig.fromAgentArgs(args))
                .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource({"com.acme, true", "com.acme., true", "a, true", "$x._y1.z, true", "été.café, true",
            "'', false", "., false", "com..acme, false", "com.acme.., false", ".com, false", "3com, false",
            "com.3d, false", "com-acme, false", "com acme, false"})
    void packageNamesAreJavaIdentifiersSeparatedByDots(String name, boolean accepted) {
        assertThat(ShelfConfig.isPackageName(name)).as(name).isEqualTo(accepted);
    }
}
