// RUN: kiln-opt %s -split-input-file -verify-diagnostics
// Malformed data movement and indexing ops: each case is one error that
// shape inference must report instead of guessing or crashing.

// Reshape infers at most one dimension.
func.func @reshape_two_minus_one(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error@+1 {{shape may hold at most one -1}}
  %y = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Reshape keeps the element count.
func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[4, 2]> : tensor<2xi64>
  // expected-error@+1 {{shape holds 8 elements where the input holds 6}}
  %y = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// The -1 entry must divide the element count.
func.func @reshape_indivisible(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[4, -1]> : tensor<2xi64>
  // expected-error@+1 {{cannot reshape 6 elements into a multiple of 4}}
  %y = graph.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// With allowzero, 0 and -1 together are ambiguous.
func.func @reshape_allowzero_minus_one(%x: tensor<0x3xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[0, -1]> : tensor<2xi64>
  // expected-error@+1 {{shape may not hold both 0 and -1 when allowzero is 1}}
  %y = graph.reshape %x, %s {allowzero = 1} : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// A copied (0) entry needs an input dimension at its position.
func.func @reshape_copy_past_rank(%x: tensor<6xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[-1, 0]> : tensor<2xi64>
  // expected-error@+1 {{shape entry 0 at position 1 has no input dimension to copy (input rank 1)}}
  %y = graph.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// The result rank is the length of shape, so it must be static.
func.func @reshape_dynamic_rank(%x: tensor<6xf32>, %s: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{shape must have a static length}}
  %y = graph.reshape %x, %s : (tensor<6xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Flatten's axis may be the rank itself, not more.
func.func @flatten_axis(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  // expected-error@+1 {{axis 3 is out of range [-2, 2]}}
  %y = graph.flatten %x {axis = 3} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Squeeze only removes dimensions of size 1.
func.func @squeeze_not_one(%x: tensor<1x3xf32>) -> tensor<?xf32> {
  %a = graph.constant dense<[1]> : tensor<1xi64>
  // expected-error@+1 {{cannot squeeze dimension 1 of size 3}}
  %y = graph.squeeze %x, %a : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Without axes, a dynamic dimension leaves the result rank unknown.
func.func @squeeze_all_dynamic(%x: tensor<?x3xf32>) -> tensor<?xf32> {
  %none = graph.none
  // expected-error@+1 {{without axes, every input dimension must be static to know the result rank}}
  %y = graph.squeeze %x, %none : (tensor<?x3xf32>, none) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Unsqueeze axes may not repeat (after counting from the back).
func.func @unsqueeze_repeat(%x: tensor<3xf32>) -> tensor<?x?x?xf32> {
  %a = graph.constant dense<[0, -3]> : tensor<2xi64>
  // expected-error@+1 {{axes repeats axis 0}}
  %y = graph.unsqueeze %x, %a : (tensor<3xf32>, tensor<2xi64>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

// perm must be a permutation.
func.func @transpose_repeat(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error@+1 {{perm repeats dimension 0}}
  %y = graph.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// perm has one entry per dimension.
func.func @transpose_length(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+1 {{perm has 3 entries for rank 2}}
  %y = graph.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A declared result type that contradicts inference is rejected.
func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{result #0 has type 'tensor<2x3xf32>', which contradicts the inferred type 'tensor<3x2xf32>'}}
  %y = graph.transpose %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Concat inputs agree off the axis.
func.func @concat_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<?x?xf32> {
  // expected-error@+1 {{input #1 has size 4 in dimension 0 where the others have 2}}
  %y = graph.concat %a, %b {axis = 1} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Concat inputs have one element type.
func.func @concat_types(%a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<4xf32> {
  // expected-error@+1 {{input #1 has element type 'i32' where input #0 has 'f32'}}
  %y = graph.concat %a, %b {axis = 0} : (tensor<2xf32>, tensor<2xi32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Concat of scalars has no axis.
func.func @concat_scalars(%a: tensor<f32>, %b: tensor<f32>) -> tensor<2xf32> {
  // expected-error@+1 {{inputs must have rank at least 1}}
  %y = graph.concat %a, %b {axis = 0} : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Opset 13 to 17 Split without lengths needs equal parts.
func.func @split_uneven(%x: tensor<7xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %none = graph.none
  // expected-error@+1 {{dimension 0 of size 7 does not split into 2 equal parts}}
  %a, %b = graph.split %x, %none : (tensor<7xf32>, none) -> (tensor<?xf32>, tensor<?xf32>)
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}

// -----

// Split lengths cover the axis exactly.
func.func @split_sum(%x: tensor<6xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  %s = graph.constant dense<[2, 3]> : tensor<2xi64>
  // expected-error@+1 {{split entries sum to 5 but dimension 0 has size 6}}
  %a, %b = graph.split %x, %s : (tensor<6xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}

// -----

// Split has one length per result.
func.func @split_count(%x: tensor<6xf32>, %s: tensor<3xi64>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error@+1 {{split has 3 entries for 2 results}}
  %a, %b = graph.split %x, %s : (tensor<6xf32>, tensor<3xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}

// -----

// A slice step of 0 never ends.
func.func @slice_zero_step(%x: tensor<4xf32>) -> tensor<?xf32> {
  %s = graph.constant dense<[0]> : tensor<1xi64>
  %e = graph.constant dense<[4]> : tensor<1xi64>
  %z = graph.constant dense<[0]> : tensor<1xi64>
  %none = graph.none
  // expected-error@+1 {{steps may not hold 0}}
  %y = graph.slice %x, %s, %e, %none, %z : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, none, tensor<1xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// A slice axis may appear once.
func.func @slice_repeated_axis(%x: tensor<4x4xf32>) -> tensor<?x?xf32> {
  %s = graph.constant dense<[0, 1]> : tensor<2xi64>
  %e = graph.constant dense<[2, 3]> : tensor<2xi64>
  %a = graph.constant dense<[1, -1]> : tensor<2xi64>
  %none = graph.none
  // expected-error@+1 {{axes repeats axis 1}}
  %y = graph.slice %x, %s, %e, %a, %none : (tensor<4x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, none) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// starts, ends, axes and steps share the index type.
func.func @slice_index_types(%x: tensor<4xf32>, %s: tensor<1xi64>, %e: tensor<1xi32>) -> tensor<?xf32> {
  %none = graph.none
  // expected-error@+1 {{starts, ends, axes and steps must have one element type}}
  %y = graph.slice %x, %s, %e, %none, %none : (tensor<4xf32>, tensor<1xi64>, tensor<1xi32>, none, none) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// A constant Gather index outside [-s, s - 1] is an error.
func.func @gather_out_of_range(%x: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %i = graph.constant dense<[0, 3]> : tensor<2xi64>
  // expected-error@+1 {{index 3 is out of range for an axis of size 3}}
  %y = graph.gather %x, %i : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Gather needs an axis to gather along.
func.func @gather_scalar(%x: tensor<f32>, %i: tensor<i64>) -> tensor<f32> {
  // expected-error@+1 {{axis 0 is out of range for a scalar input}}
  %y = graph.gather %x, %i : (tensor<f32>, tensor<i64>) -> tensor<f32>
  return %y : tensor<f32>
}

// -----

// GatherElements indices have the rank of data.
func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error@+1 {{indices has rank 1 where data has rank 2}}
  %y = graph.gather_elements %x, %i : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// GatherND tuples index at most the dimensions after the batch ones.
func.func @gather_nd_long_tuples(%x: tensor<2x3xf32>, %i: tensor<4x2xi64>) -> tensor<4xf32> {
  // expected-error@+1 {{index tuples of length 2 are too long for data of rank 2 with batch_dims 1}}
  %y = graph.gather_nd %x, %i {batch_dims = 1} : (tensor<2x3xf32>, tensor<4x2xi64>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// GatherND batch dimensions are shared by data and indices.
func.func @gather_nd_batch(%x: tensor<2x3xf32>, %i: tensor<4x1xi64>) -> tensor<4xf32> {
  // expected-error@+1 {{batch dimension 0 has size 4 in indices and 2 in data}}
  %y = graph.gather_nd %x, %i {batch_dims = 1} : (tensor<2x3xf32>, tensor<4x1xi64>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Opset 16 scatters reduce with none, add or mul only (max is opset 18).
func.func @scatter_elements_reduction(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{reduction must be none, add or mul, got 'max'}}
  %y = graph.scatter_elements %x, %i, %u {reduction = "max"} : (tensor<4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// ScatterElements indices and updates have one shape.
func.func @scatter_elements_shapes(%x: tensor<4x4xf32>, %i: tensor<2x2xi64>, %u: tensor<2x3xf32>) -> tensor<4x4xf32> {
  // expected-error@+1 {{indices and updates differ in dimension 1}}
  %y = graph.scatter_elements %x, %i, %u : (tensor<4x4xf32>, tensor<2x2xi64>, tensor<2x3xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// ScatterND updates are indices.shape[:-1] ++ data.shape[k:].
func.func @scatter_nd_updates(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{updates has size 4 in dimension 1 where indices and data need 5}}
  %y = graph.scatter_nd %x, %i, %u : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}

// -----

// Expand broadcasts only from size 1.
func.func @expand_incompatible(%x: tensor<3xf32>) -> tensor<?xf32> {
  %s = graph.constant dense<[4]> : tensor<1xi64>
  // expected-error@+1 {{cannot broadcast dimension 0 of size 3 to 4}}
  %y = graph.expand %x, %s : (tensor<3xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Tile has one count per dimension.
func.func @tile_length(%x: tensor<3xf32>, %r: tensor<2xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{repeats has 2 entries for rank 1}}
  %y = graph.tile %x, %r : (tensor<3xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Pad has a begin and an end count per dimension.
func.func @pad_length(%x: tensor<3x3xf32>, %p: tensor<2xi64>) -> tensor<?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{pads has 2 entries for rank 2 (needs 4)}}
  %y = graph.pad %x, %p, %none : (tensor<3x3xf32>, tensor<2xi64>, none) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Reflect padding mirrors inside the dimension, so it must be smaller.
func.func @pad_reflect_too_far(%x: tensor<3xf32>) -> tensor<?xf32> {
  %p = graph.constant dense<[3, 0]> : tensor<2xi64>
  %none = graph.none
  // expected-error@+1 {{reflect pad of 3 needs dimension 0 (of size 3) to be larger}}
  %y = graph.pad %x, %p, %none {mode = "reflect"} : (tensor<3xf32>, tensor<2xi64>, none) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// Negative pads cannot remove more than there is.
func.func @pad_negative(%x: tensor<3xf32>) -> tensor<?xf32> {
  %p = graph.constant dense<[-2, -2]> : tensor<2xi64>
  %none = graph.none
  // expected-error@+1 {{pads remove more than the 3 elements of dimension 0}}
  %y = graph.pad %x, %p, %none : (tensor<3xf32>, tensor<2xi64>, none) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// wrap is opset 19.
func.func @pad_mode(%x: tensor<3xf32>, %p: tensor<2xi64>) -> tensor<?xf32> {
  %none = graph.none
  // expected-error@+1 {{mode must be constant, reflect or edge, got 'wrap'}}
  %y = graph.pad %x, %p, %none {mode = "wrap"} : (tensor<3xf32>, tensor<2xi64>, none) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// The constant value has the data's element type.
func.func @pad_value_type(%x: tensor<3xf32>, %p: tensor<2xi64>, %v: tensor<i32>) -> tensor<?xf32> {
  // expected-error@+1 {{constant_value has element type 'i32' where data has 'f32'}}
  %y = graph.pad %x, %p, %v : (tensor<3xf32>, tensor<2xi64>, tensor<i32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// DepthToSpace needs blocksize^2 channel groups.
func.func @depth_to_space_channels(%x: tensor<1x6x2x2xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error@+1 {{channels (6) must be a multiple of 4}}
  %y = graph.depth_to_space %x {blocksize = 2} : (tensor<1x6x2x2xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// SpaceToDepth needs whole blocks.
func.func @space_to_depth_blocks(%x: tensor<1x1x5x4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error@+1 {{dimension 2 (5) must be a multiple of blocksize 2}}
  %y = graph.space_to_depth %x {blocksize = 2} : (tensor<1x1x5x4xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Trilu works on matrices.
func.func @trilu_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  %none = graph.none
  // expected-error@+1 {{input must have rank at least 2, got 1}}
  %y = graph.trilu %x, %none : (tensor<4xf32>, none) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// ReverseSequence batch and time axes are 0 and 1 in some order.
func.func @reverse_sequence_axes(%x: tensor<4x4xf32>, %l: tensor<4xi64>) -> tensor<4x4xf32> {
  // expected-error@+1 {{batch_axis and time_axis must be 0 and 1, got 1 and 1}}
  %y = graph.reverse_sequence %x, %l {time_axis = 1} : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// One sequence length per batch entry.
func.func @reverse_sequence_lens(%x: tensor<4x3xf32>, %l: tensor<4xi64>) -> tensor<4x3xf32> {
  // expected-error@+1 {{sequence_lens has 4 entries for a batch of 3}}
  %y = graph.reverse_sequence %x, %l : (tensor<4x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// The Compress condition may be shorter than the axis, not longer.
func.func @compress_long_condition(%x: tensor<3x2xf32>, %c: tensor<4xi1>) -> tensor<?x2xf32> {
  // expected-error@+1 {{condition has 4 entries for a selection of 3}}
  %y = graph.compress %x, %c {axis = 0} : (tensor<3x2xf32>, tensor<4xi1>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// OneHot values are [off, on].
func.func @one_hot_values(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<3xf32>) -> tensor<3x?xf32> {
  // expected-error@+1 {{values must hold [off_value, on_value], got 3 entries}}
  %y = graph.one_hot %i, %d, %v : (tensor<3xi64>, tensor<i64>, tensor<3xf32>) -> tensor<3x?xf32>
  return %y : tensor<3x?xf32>
}

// -----

// OneHot axis is in [-r-1, r].
func.func @one_hot_axis(%i: tensor<3xi64>, %d: tensor<i64>, %v: tensor<2xf32>) -> tensor<3x?xf32> {
  // expected-error@+1 {{axis 2 is out of range [-2, 1]}}
  %y = graph.one_hot %i, %d, %v {axis = 2} : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x?xf32>
  return %y : tensor<3x?xf32>
}

// -----

// TopK cannot take more than the axis holds.
func.func @top_k_too_many(%x: tensor<3x4xf32>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %k = graph.constant dense<[5]> : tensor<1xi64>
  // expected-error@+1 {{K (5) is larger than dimension 1 (4)}}
  %v, %i = graph.top_k %x, %k : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %v, %i : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// Unique sorts or keeps the order, nothing else.
func.func @unique_sorted(%x: tensor<4xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>) {
  // expected-error@+1 {{sorted must be 0 or 1, got 2}}
  %y, %i, %v, %c = graph.unique %x {sorted = 2} : (tensor<4xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>)
  return %y, %i, %v, %c : tensor<?xf32>, tensor<?xi64>, tensor<4xi64>, tensor<?xi64>
}

// -----

// Resize takes scales or sizes, not both.
func.func @resize_both(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{scales and sizes may not both be given}}
  %y = graph.resize %x, %none, %s, %z : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Resize needs one of them; an empty tensor counts as absent.
func.func @resize_neither(%x: tensor<1x1x2x2xf32>, %s: tensor<0xf32>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{one of scales and sizes must be given}}
  %y = graph.resize %x, %none, %s, %none : (tensor<1x1x2x2xf32>, none, tensor<0xf32>, none) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Resize scales have one entry per dimension.
func.func @resize_scales_length(%x: tensor<1x1x2x2xf32>, %s: tensor<2xf32>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{scales has 2 entries for rank 4 (needs 4)}}
  %y = graph.resize %x, %none, %s, %none : (tensor<1x1x2x2xf32>, none, tensor<2xf32>, none) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Scales are positive.
func.func @resize_negative_scale(%x: tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  %s = graph.constant dense<[1.0, 1.0, -2.0, 2.0]> : tensor<4xf32>
  // expected-error@+1 {{scales must be positive, got -2}}
  %y = graph.resize %x, %none, %s, %none : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Crop-and-resize crops to roi, so it needs one.
func.func @resize_crop_without_roi(%x: tensor<1x1x2x2xf32>, %z: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
  %none = graph.none
  // expected-error@+1 {{tf_crop_and_resize needs roi}}
  %y = graph.resize %x, %none, %none, %z {coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x1x2x2xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A rank taken from an operand length is bounded, so that a malformed model
// cannot size huge allocations.
func.func @unsqueeze_huge_rank(%x: tensor<3xf32>, %a: tensor<1099511627776xi64>) -> tensor<?xf32> {
  // expected-error@+1 {{axes has 1099511627776 entries, more than the largest supported rank (1024)}}
  %y = graph.unsqueeze %x, %a : (tensor<3xf32>, tensor<1099511627776xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
