tw_module(rules
    SOURCES rules/pattern.cpp rules/ir.cpp rules/rule.cpp rules/plan.cpp rules/plan_marks.cpp
            rules/evaluator.cpp
    DEPS tw_event tw_findings PkgConfig::RE2 PkgConfig::HS)
