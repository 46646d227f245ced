// RUN: kiln-opt %s --split-input-file --verify-diagnostics

exec.program @main arena_size(64) {
  // expected-error @below {{'exec.copy' op copies 16 bytes into a buffer of 32}}
  exec.copy #exec.ref<arena, 0, 16> to #exec.ref<arena, 32, 32>
}

// -----

exec.program @main arena_size(64) {
  // expected-error @below {{cannot write the constants pool}}
  exec.copy #exec.ref<arena, 0, 16> to #exec.ref<constants, 0, 16>
}

// -----

exec.program @main arena_size(64) {
  // expected-error @below {{'exec.output' op names bytes [56, 72) past the arena's 64}}
  exec.output "y" : tensor<4xf32> at #exec.ref<arena, 56, 16>
}

// -----

exec.program @main arena_size(64) {
  // expected-error @below {{'exec.launch' op names bytes [64, 80) past the arena's 64}}
  exec.launch 0 @d0 bindings [#exec.ref<arena, 0, 16>, #exec.ref<arena, 64, 16>]
}

// -----

exec.program @main arena_size(64) {
  // expected-error @below {{buffer range has a negative offset or size}}
  exec.input "x" : tensor<4xf32> at #exec.ref<arena, -16, 16>
}

// -----

// expected-error @below {{'exec.input' op expects parent op 'exec.program'}}
exec.input "x" : tensor<4xf32> at #exec.ref<arena, 0, 16>
