/**
 * The service-provider interfaces of coproc: serializers and launchers, found at run time
 * with {@link java.util.ServiceLoader} and chosen by {@linkplain coproc.api.spi.NamedProvider
 * name}.
 *
 * <p>A module adds a provider with one line, for example
 * {@code provides coproc.api.spi.SerializerProvider with com.example.MySerializerProvider;},
 * and, to work on the class path as well, the matching {@code META-INF/services} file.
 */
package coproc.api.spi;
