package io.github.otelexport.actuate;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Architecture rules of the actuate package.
 *
 * @author otel-export authors
 */
class ActuateArchitectureTests {

	private static final JavaClasses ACTUATE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.otelexport.actuate");

	@Test
	void actuateReadsCoreSnapshotsNotTheConfiguration() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.otelexport.autoconfigure..")
			.because("the actuator support reads the export core's snapshots, never the properties")
			.check(ACTUATE);
	}

}
