package io.github.otelexport.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Architecture rules of the export core (the engine with its store and transport, the
 * statistics and the endpoint diagnosis), the direction of the dependencies between the
 * library's packages, and the seam to the SDK's internal types, which holds for the whole
 * library.
 *
 * @author otel-export authors
 */
class ArchitectureTests {

	private static final String ENGINE = "io.github.otelexport.export";

	/**
	 * The most public types the engine's package may have: what users and the
	 * auto-configuration need. Lower it when one goes; a new one needs a reason.
	 */
	private static final int ENGINE_PUBLIC_TYPES = 11;

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ENGINE, "io.github.otelexport.stats", "io.github.otelexport.diagnose");

	private static final JavaClasses ALL = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.otelexport");

	private static final String TRANSPORT = "io.github.otelexport.export.transport";

	/** A dotted Java name under io.opentelemetry, as a string constant holds it. */
	private static final Pattern OPENTELEMETRY_NAME = Pattern
		.compile("io\\.opentelemetry(?:\\.[A-Za-z_$][A-Za-z0-9_$]*)+");

	@Test
	void coreDoesNotDependOnSpring() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.because("the export core must work with a plain OpenTelemetry SDK")
			.check(CORE);
	}

	@Test
	void coreDoesNotDependOnActuateOrAutoConfigure() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.otelexport.actuate..", "io.github.otelexport.autoconfigure..")
			.check(CORE);
	}

	@Test
	void packagesDependOneWay() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("transport")
			.definedBy(TRANSPORT + "..")
			.layer("store")
			.definedBy(ENGINE + ".store..")
			.layer("stats")
			.definedBy("io.github.otelexport.stats..")
			.layer("engine")
			.definedBy(ENGINE)
			.layer("diagnose")
			.definedBy("io.github.otelexport.diagnose..")
			.layer("actuate")
			.definedBy("io.github.otelexport.actuate..")
			.layer("autoconfigure")
			.definedBy("io.github.otelexport.autoconfigure..")
			.whereLayer("transport")
			.mayNotAccessAnyLayer()
			.whereLayer("store")
			.mayNotAccessAnyLayer()
			.whereLayer("stats")
			.mayOnlyAccessLayers("transport")
			.whereLayer("engine")
			.mayOnlyAccessLayers("transport", "store", "stats")
			.whereLayer("diagnose")
			.mayOnlyAccessLayers("transport", "stats", "engine")
			.whereLayer("actuate")
			.mayOnlyAccessLayers("transport", "stats", "engine", "diagnose")
			.whereLayer("autoconfigure")
			.mayNotBeAccessedByAnyLayer()
			.because("each package builds on the ones below it: transport and store, statistics, engine, "
					+ "diagnosis, actuator support, auto-configuration")
			.check(ALL);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.github.otelexport.(**)").should().beFreeOfCycles().check(ALL);
	}

	@Test
	void engineKeepsItsPublicTypesFew() {
		Set<String> publicTypes = new TreeSet<>();
		CORE.stream()
			.filter((type) -> type.getPackageName().equals(ENGINE) && type.isTopLevelClass()
					&& type.getModifiers().contains(JavaModifier.PUBLIC))
			.forEach((type) -> publicTypes.add(type.getSimpleName()));
		assertThat(publicTypes)
			.as("public types of %s; what neither users nor the auto-configuration need is package-private", ENGINE)
			.hasSizeLessThanOrEqualTo(ENGINE_PUBLIC_TYPES);
	}

	@Test
	void onlyTheTransportPackageNamesSdkInternalTypes() {
		classes().that(resideOutsideOf(TRANSPORT, "io.github.otelexport.testkit"))
			.should(notNameSdkInternalTypes())
			.because("SDK-internal types may move in any release; OtlpRequestEncoder is the one seam, "
					+ "pinned by its contract tests")
			.check(ALL);
	}

	@Test
	void sdkInternalTypesAreFoundInImportsAndInStrings() {
		assertThat(sdkInternalNames(ALL.stream().filter((type) -> isOrIsIn(type, TRANSPORT + ".OtlpRequestEncoder"))))
			.contains("io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler");
		assertThat(sdkInternalNames(ALL.stream().filter((type) -> isOrIsIn(type, TRANSPORT + ".GrpcTransport"))))
			.as("a class name in a string counts too")
			.isEmpty();
	}

	@Test
	void coreDoesNotCallWallClockOrSleepDirectly() {
		noClasses().should()
			.callMethod(Thread.class, "sleep", long.class)
			.orShould()
			.callMethod(System.class, "currentTimeMillis")
			.because("time is injected so that tests drive it")
			.check(CORE);
	}

	@Test
	void onlySystemTimeReadsTheRealTicker() {
		noClasses().that()
			.doNotHaveSimpleName("SystemTime")
			.should()
			.callMethod(System.class, "nanoTime")
			.orShould()
			.callMethod(java.time.Clock.class, "systemUTC")
			.orShould()
			.callMethod(java.time.Clock.class, "systemDefaultZone")
			.because("real time and randomness are wired in one place and injected everywhere else")
			.check(CORE);
	}

	private static DescribedPredicate<JavaClass> resideOutsideOf(String... packages) {
		return DescribedPredicate.describe("reside outside of " + String.join(", ", packages), (type) -> Stream
			.of(packages)
			.noneMatch((name) -> type.getPackageName().equals(name) || type.getPackageName().startsWith(name + ".")));
	}

	private static boolean isOrIsIn(JavaClass type, String className) {
		return type.getName().equals(className) || type.getName().startsWith(className + "$");
	}

	private static ArchCondition<JavaClass> notNameSdkInternalTypes() {
		return new ArchCondition<>("not name an SDK-internal type, in an import or in a string") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				for (String name : sdkInternalNames(Stream.of(type))) {
					events.add(SimpleConditionEvent.violated(type, type.getName() + " names " + name));
				}
			}

		};
	}

	/**
	 * Return the SDK-internal names that classes use: the types they depend on, and the
	 * dotted names in their class files, which are string constants (the byte code names
	 * types with slashes).
	 */
	private static Set<String> sdkInternalNames(Stream<JavaClass> types) {
		Set<String> names = new TreeSet<>();
		types.forEach((type) -> {
			type.getDirectDependenciesFromSelf()
				.stream()
				.map((dependency) -> dependency.getTargetClass().getName())
				.filter(ArchitectureTests::isSdkInternal)
				.forEach(names::add);
			Matcher strings = OPENTELEMETRY_NAME.matcher(classFile(type));
			while (strings.find()) {
				if (isSdkInternal(strings.group())) {
					names.add(strings.group());
				}
			}
		});
		return names;
	}

	private static boolean isSdkInternal(String name) {
		return name.startsWith("io.opentelemetry.") && (name + ".").contains(".internal.");
	}

	private static String classFile(JavaClass type) {
		URI location = type.getSource()
			.orElseThrow(() -> new IllegalStateException("No class file for " + type.getName()))
			.getUri();
		try (InputStream in = location.toURL().openStream()) {
			// constant pool strings are modified UTF-8: ASCII names read as they are
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
