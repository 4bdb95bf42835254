/**
 * Customisation of the built-in {@code kryo} serializer: register classes or Kryo serializers
 * by providing a {@link coproc.messenger.kryo.KryoCustomizer}.
 */
package coproc.messenger.kryo;
