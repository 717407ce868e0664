import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The floor for any transforming agent in docs/startup.md: installs a transformer that changes nothing.
 *
 * <pre>
 * javac -d /tmp/noop benchmarks/startup/NoopAgent.java
 * printf 'Premain-Class: NoopAgent\n' > /tmp/noop/manifest.txt
 * jar cfm /tmp/noop-agent.jar /tmp/noop/manifest.txt -C /tmp/noop NoopAgent.class -C /tmp/noop 'NoopAgent$1.class'
 * </pre>
 */
public class NoopAgent {
    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                return null;
            }
        });
    }
}
