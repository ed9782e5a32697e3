// Load problems of Sigma rules: every diagnostic names the file, the rule's title, what is
// wrong and where (line:column, 1-based), e.g.
//   rules/x.yml:12:9: rule 'Suspicious Thing': unknown modifier 'contians' ...
// A rule with an error is disabled; the rest of the load goes on.
#pragma once

#include <string>
#include <vector>

namespace tw::sigma {

struct Position {
    int line = 0;    // 1-based; 0 = unknown
    int column = 0;  // 1-based; 0 = unknown
};

struct LoadProblem {
    bool warning = false;  // warnings do not disable the rule
    std::string file;
    Position pos;
    std::string title;  // rule title, or "" before it is known
    std::string message;

    // "<file>:<line>:<col>: [warning: ]rule '<title>': <message>"
    [[nodiscard]] std::string Text() const;
};

// Collects the problems of one rule document while it is read.
class ProblemSink {
  public:
    ProblemSink(std::vector<LoadProblem>& out, std::string file)
        : out_(out), file_(std::move(file)) {}
    void set_title(std::string t) { title_ = std::move(t); }
    void Error(Position p, std::string message) {
        out_.push_back({false, file_, p, title_, std::move(message)});
        ++errors_;
    }
    void Warning(Position p, std::string message) {
        out_.push_back({true, file_, p, title_, std::move(message)});
    }
    [[nodiscard]] int errors() const { return errors_; }
    [[nodiscard]] const std::string& file() const { return file_; }

  private:
    std::vector<LoadProblem>& out_;
    std::string file_;
    std::string title_;
    int errors_ = 0;
};

}  // namespace tw::sigma
