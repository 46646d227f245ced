#===- LayoutROCmRoot.cmake - A ROCm root for the device libraries --------===#
#
# cmake -DROOT=... -DBITCODE=... -DLLVM_AS=... -DLLD=... -P LayoutROCmRoot.cmake
#
# MLIR's ROCDL serializer links the ROCm device libraries (ocml, ockl...)
# from ROOT/amdgcn/bitcode and expects ROOT/llvm/bin/ld.lld. Debian ships
# the libraries in BITCODE (rocm-device-libs, ROCm 5.2), without the
# per-architecture ISA version of newer chips; those are one constant each
# and are generated here with llvm-as.
#
#===----------------------------------------------------------------------===#

file(MAKE_DIRECTORY ${ROOT}/amdgcn/bitcode ${ROOT}/llvm/bin)
file(GLOB libraries ${BITCODE}/*.bc)
if(NOT libraries)
  message(WARNING "no ROCm device libraries in ${BITCODE} (package rocm-device-libs): "
                  "ROCm kernels that call math functions will not compile")
endif()
foreach(library ${libraries})
  get_filename_component(name ${library} NAME)
  file(CREATE_LINK ${library} ${ROOT}/amdgcn/bitcode/${name} SYMBOLIC)
endforeach()
file(CREATE_LINK ${LLD} ${ROOT}/llvm/bin/ld.lld SYMBOLIC)

# __oclc_ISA_version: major * 1000 + minor * 100 + stepping (hex digits).
foreach(isa 942 950 1100 1101 1102 1103 1150 1151 1200 1201)
  set(bitcode ${ROOT}/amdgcn/bitcode/oclc_isa_version_${isa}.bc)
  if(EXISTS ${bitcode})
    continue()
  endif()
  string(LENGTH ${isa} length)
  math(EXPR major_length "${length} - 2")
  string(SUBSTRING ${isa} 0 ${major_length} major)
  string(SUBSTRING ${isa} ${major_length} 1 minor)
  math(EXPR last "${length} - 1")
  string(SUBSTRING ${isa} ${last} 1 stepping)
  math(EXPR version "${major} * 1000 + 0x${minor} * 100 + 0x${stepping}" OUTPUT_FORMAT DECIMAL)
  file(WRITE ${ROOT}/isa_version_${isa}.ll
    "target triple = \"amdgcn-amd-amdhsa\"\n"
    "@__oclc_ISA_version = linkonce_odr protected local_unnamed_addr addrspace(4) constant i32 ${version}, align 4\n")
  execute_process(COMMAND ${LLVM_AS} ${ROOT}/isa_version_${isa}.ll -o ${bitcode}
                  RESULT_VARIABLE result)
  file(REMOVE ${ROOT}/isa_version_${isa}.ll)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "llvm-as failed for oclc_isa_version_${isa}")
  endif()
endforeach()
file(WRITE ${ROOT}/stamp "")
