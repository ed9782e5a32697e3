# Writes OUT: the C++ initializer list of the built-in rule files found under ROOT/builtin,
# one {"builtin/<path>", R"(...)"} entry per YAML file, in sorted order. Run by the build
# (src/detect/module.cmake) whenever a rule file changes.
file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/builtin/*.yml)
list(SORT files)
set(content "// Generated from rules/builtin by cmake/EmbedRules.cmake: do not edit.\n")
foreach(f IN LISTS files)
    file(READ ${ROOT}/${f} text)
    string(FIND "${text}" ")tw_rule\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${f} contains the raw-string delimiter )tw_rule\"")
    endif()
    string(APPEND content "{\"${f}\", R\"tw_rule(${text})tw_rule\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "${content}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
