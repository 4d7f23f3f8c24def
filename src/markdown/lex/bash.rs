//! Shell (bash, sh, zsh, console sessions): comments, keywords, the command
//! name of each simple command (as a function), assignments' names (as
//! properties), `-flag` arguments (as constants, as the grammar's query has
//! them), all-digit words (as numbers), strings with their escapes and the
//! expansions in them (`$VAR`, `${...}` as variables; `$( )`, backticks and
//! `$(( ))` as interpolations with the code inside lexed), here-documents
//! (markers as special strings, bodies as strings), operators and the
//! brackets of tests and groups. A `$ ` at a line's start is taken as a
//! console prompt, and from then on a line without one as the output (left
//! plain). Other arguments are left plain.

use super::toolkit::{Kind, Lexer};

/// How deep substitutions and expansions nest; deeper ones are left to the
/// enclosing lexer as plain text.
const MAX_NEST: u8 = 32;

/// How many here-documents one line may open (more are lexed as code).
const MAX_HEREDOCS: usize = 4;

/// How far past a name's `[` the lexer looks for the `]` of an array
/// element's assignment (`a[i]=x`).
const MAX_INDEX: usize = 256;

pub(super) fn lex(l: &mut Lexer) {
    let mut sh = Sh::new(0, Close::None);
    l.each(|l| {
        sh.step(l);
    });
}

/// What ends the code a lexer is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    /// The end of the block.
    None,
    /// The `)` of a `$(` or `<(`.
    Paren,
    /// The closing backtick.
    Tick,
}

/// What the next word is, after a keyword that expects one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Any,
    /// The variable after `for` or `select`.
    ForVar,
    /// The `in` after `for x`.
    ForIn,
    /// The word after `case`.
    CaseWord,
    /// The `in` after `case x`.
    CaseIn,
    /// The name after `function`.
    FuncName,
}

/// A here-document waiting for the end of its line.
#[derive(Debug, Clone, Copy)]
struct Heredoc<'a> {
    delim: &'a str,
    /// `<<-`: leading tabs are stripped before the closing line is matched.
    strip: bool,
    /// `<<'EOF'`: nothing in the body is expanded.
    quoted: bool,
}

/// The state of a lexer over shell code (the block, or what a `$( )` or
/// backticks hold).
struct Sh<'a> {
    nest: u8,
    close: Close,
    /// The next word is in command position.
    cmd: bool,
    expect: Expect,
    /// The next word is a redirection's target.
    target: bool,
    /// In the arguments of `export`, `local` and the like: `NAME=` and
    /// `NAME` are variables' names.
    decl: bool,
    /// Inside `[ ]` (1) or `[[ ]]` (2).
    test: u8,
    /// Inside the `( )` of an array assignment.
    array: bool,
    /// Open `case` statements, and whether a pattern is next.
    cases: u32,
    pattern: bool,
    /// Open `(` of subshells in this lexer.
    parens: u32,
    /// A console session: a `$ ` prompt was seen at a line's start, so
    /// lines without one are the commands' output.
    console: bool,
    heredocs: [Option<Heredoc<'a>>; MAX_HEREDOCS],
}

impl<'a> Sh<'a> {
    fn new(nest: u8, close: Close) -> Self {
        Sh {
            nest,
            close,
            cmd: true,
            expect: Expect::Any,
            target: false,
            decl: false,
            test: 0,
            array: false,
            cases: 0,
            pattern: false,
            parens: 0,
            console: false,
            heredocs: [None; MAX_HEREDOCS],
        }
    }

    /// Lexes until the end of the code or what closes this lexer (left at
    /// the cursor).
    fn run(&mut self, l: &mut Lexer<'a, '_>) {
        while !l.at_end() {
            let before = l.pos();
            if !self.step(l) {
                break;
            }
            if l.pos() == before {
                l.bump();
            }
        }
    }

    fn tick(&self) -> bool {
        self.close == Close::Tick
    }

    /// A new command follows (after `;`, `|`, `&&`, a newline).
    fn new_command(&mut self) {
        self.cmd = true;
        self.expect = Expect::Any;
        self.target = false;
        self.decl = false;
        self.test = 0;
    }

    /// Lexes one token at the cursor; false at what closes this lexer.
    fn step(&mut self, l: &mut Lexer<'a, '_>) -> bool {
        let start = l.pos();
        let b = l.peek();
        match b {
            b'\n' => {
                l.bump();
                self.heredoc_bodies(l);
                self.new_command();
                if self.console {
                    console_line(l);
                }
            }
            b' ' | b'\t' | b'\r' => {
                l.eat_while(|c| matches!(c, ' ' | '\t' | '\r'));
            }
            // A word starts here, so this is a comment.
            b'#' => l.line_comment(),
            b'\\' if matches!(l.peek_at(1), b'\n' | b'\r') => {
                // A line continuation: the command goes on.
                l.bump();
                l.eat_byte(b'\r');
                l.eat_byte(b'\n');
                l.push(Kind::Escape, start);
            }
            b'$' if self.nest == 0 && l.peek_at(1) == b' ' && (start == 0 || l.prev() == b'\n') => {
                // A console prompt.
                l.bump();
                l.push(Kind::Punctuation, start);
                self.new_command();
                self.console = true;
            }
            b';' => {
                let case_end = l.eat(";;&") || l.eat(";;") || l.eat(";&");
                if !case_end {
                    l.bump();
                }
                l.push(Kind::Operator, start);
                self.new_command();
                self.pattern = case_end && self.cases > 0;
            }
            b'|' => {
                let or = l.eat("||");
                if !or && !l.eat("|&") {
                    l.bump();
                }
                l.push(Kind::Operator, start);
                if !(self.pattern || (or && self.test == 2)) {
                    self.new_command();
                }
            }
            b'&' if l.peek_at(1) == b'>' => {
                if !l.eat("&>>") {
                    l.advance(2);
                }
                l.push(Kind::Operator, start);
                self.target = true;
            }
            b'&' => {
                let and = l.eat("&&");
                if !and {
                    l.bump();
                }
                l.push(Kind::Operator, start);
                if !(and && self.test == 2) {
                    self.new_command();
                }
            }
            b'<' | b'>' => self.redirect(l, start),
            b'(' => {
                if l.peek_at(1) == b'(' && (self.cmd || self.expect == Expect::ForVar) {
                    // An arithmetic command, or a C-style `for`.
                    l.advance(2);
                    l.push(Kind::Punctuation, start);
                    arith(l, self.nest, self.tick(), Kind::Punctuation);
                    self.cmd = false;
                    self.expect = Expect::Any;
                } else {
                    l.bump();
                    l.push(Kind::Punctuation, start);
                    if !self.pattern && !self.array {
                        self.parens += 1;
                        if self.test == 0 {
                            self.cmd = true;
                        }
                    }
                }
            }
            b')' => {
                if self.pattern {
                    self.pattern = false;
                    self.cmd = true;
                } else if self.array {
                    self.array = false;
                } else if self.parens == 0 && self.close == Close::Paren {
                    return false;
                } else {
                    self.parens = self.parens.saturating_sub(1);
                    self.cmd = false;
                }
                l.bump();
                l.push(Kind::Punctuation, start);
            }
            b'`' if self.tick() => return false,
            _ if l.starts_with("\u{feff}") => l.bump(),
            _ => self.word(l, start),
        }
        true
    }

    /// `>`, `>>`, `2>&1`'s `>&`, `<`, `<<<`, a here-document's `<<EOF`, a
    /// process substitution `<( )`.
    fn redirect(&mut self, l: &mut Lexer<'a, '_>, start: usize) {
        if l.peek_at(1) == b'(' {
            l.advance(2);
            l.push(Kind::Interpolation, start);
            substitution(l, self.nest);
            return;
        }
        if l.starts_with("<<") && !l.starts_with("<<<") {
            return self.heredoc(l, start);
        }
        let len = if l.starts_with("<<<") {
            3
        } else if matches!(
            (l.peek(), l.peek_at(1)),
            (b'>', b'>' | b'&' | b'|') | (b'<', b'&' | b'>')
        ) {
            2
        } else {
            1
        };
        l.advance(len);
        l.push(Kind::Operator, start);
        // In `[[ ]]`, `<` and `>` compare strings.
        self.target = self.test != 2;
    }

    /// `<<EOF`, `<<-EOF`, `<<'EOF'`: the operator and the marker; the body
    /// follows at the end of the line.
    fn heredoc(&mut self, l: &mut Lexer<'a, '_>, start: usize) {
        l.advance(2);
        let strip = l.eat_byte(b'-');
        l.push(Kind::Operator, start);
        l.eat_while(|c| c == ' ' || c == '\t');
        let at = l.pos();
        let q = l.peek();
        let (delim, quoted) = if q == b'\'' || q == b'"' {
            l.bump();
            let from = l.pos();
            l.eat_while(|c| c != q as char && c != '\n');
            let delim = &l.src()[from..l.pos()];
            l.eat_byte(q);
            (delim, true)
        } else {
            let quoted = l.eat_byte(b'\\');
            let from = l.pos();
            l.eat_while(|c| !(c.is_ascii() && (is_term(c as u8) || c == '`')));
            (&l.src()[from..l.pos()], quoted)
        };
        l.push(Kind::Regex, at);
        if delim.is_empty() {
            return;
        }
        if let Some(slot) = self.heredocs.iter_mut().find(|h| h.is_none()) {
            *slot = Some(Heredoc {
                delim,
                strip,
                quoted,
            });
        }
    }

    /// The bodies of the here-documents opened on the line just ended.
    fn heredoc_bodies(&mut self, l: &mut Lexer<'a, '_>) {
        let nest = self.nest;
        for slot in &mut self.heredocs {
            if let Some(h) = slot.take() {
                heredoc_body(l, h, nest);
            }
        }
    }

    /// A word: a keyword, a command's name, an assignment or an argument.
    fn word(&mut self, l: &mut Lexer<'a, '_>, start: usize) {
        if self.pattern {
            if standalone(l, "esac") {
                self.esac();
                l.advance(4);
                l.push(Kind::Keyword, start);
            } else {
                self.lex_word(l, Kind::Plain);
            }
            return;
        }
        if self.target {
            self.target = false;
            let kind = self.arg_kind(l);
            return self.lex_word(l, kind);
        }
        match self.expect {
            Expect::ForVar => {
                self.expect = Expect::ForIn;
                self.cmd = false;
                return self.lex_word(l, Kind::Property);
            }
            Expect::ForIn | Expect::CaseIn if standalone(l, "in") => {
                if self.expect == Expect::CaseIn {
                    self.cases += 1;
                    self.pattern = true;
                }
                self.expect = Expect::Any;
                l.advance(2);
                l.push(Kind::Keyword, start);
                return;
            }
            Expect::CaseWord => {
                self.expect = Expect::CaseIn;
                self.cmd = false;
                return self.lex_word(l, Kind::Plain);
            }
            Expect::FuncName => {
                self.expect = Expect::Any;
                self.cmd = false;
                return self.lex_word(l, Kind::Function);
            }
            _ => self.expect = Expect::Any,
        }
        if self.array {
            let kind = self.arg_kind(l);
            return self.lex_word(l, kind);
        }
        if self.test > 0 {
            let end = if self.test == 2 { "]]" } else { "]" };
            if standalone(l, end) {
                l.advance(end.len());
                l.push(Kind::Punctuation, start);
                self.test = 0;
                return;
            }
            for op in ["!", "=", "==", "!=", "=~"] {
                if standalone(l, op) {
                    l.advance(op.len());
                    l.push(Kind::Operator, start);
                    return;
                }
            }
        }
        if standalone(l, "{") || standalone(l, "}") {
            self.cmd = l.peek() == b'{';
            l.bump();
            l.push(Kind::Punctuation, start);
            return;
        }
        if self.cmd {
            for (open, test) in [("[[", 2), ("[", 1)] {
                if standalone(l, open) {
                    l.advance(open.len());
                    l.push(Kind::Punctuation, start);
                    self.test = test;
                    self.cmd = false;
                    return;
                }
            }
            if standalone(l, "!") {
                l.bump();
                l.push(Kind::Operator, start);
                return;
            }
            if self.assignment(l, start) {
                return;
            }
            if self.keyword(l, start) {
                return;
            }
            self.cmd = false;
            return self.lex_word(l, Kind::Function);
        }
        if self.decl {
            if self.assignment(l, start) {
                return;
            }
            let name = bare_word(l);
            if name.bytes().next().is_some_and(|b| !b.is_ascii_digit()) {
                l.advance(name.len());
                l.push(Kind::Property, start);
                return;
            }
        }
        let kind = self.arg_kind(l);
        self.lex_word(l, kind);
    }

    /// A keyword in command position, with what it makes of the next word.
    fn keyword(&mut self, l: &mut Lexer<'a, '_>, start: usize) -> bool {
        let w = bare_word(l);
        match w {
            "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "time" | "coproc" => {}
            "fi" | "done" => self.cmd = false,
            "esac" => self.esac(),
            "for" | "select" => self.expect = Expect::ForVar,
            "case" => self.expect = Expect::CaseWord,
            "function" => self.expect = Expect::FuncName,
            "export" | "declare" | "typeset" | "readonly" | "local" | "unset" => {
                self.cmd = false;
                self.decl = true;
            }
            _ => return false,
        }
        l.advance(w.len());
        l.push(Kind::Keyword, start);
        true
    }

    fn esac(&mut self) {
        self.cases = self.cases.saturating_sub(1);
        self.pattern = false;
        self.cmd = false;
    }

    /// `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(a b)`; false
    /// (nothing moved) when the word is not one.
    fn assignment(&mut self, l: &mut Lexer<'a, '_>, start: usize) -> bool {
        let b = l.rest().as_bytes();
        if !b
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return false;
        }
        let name = b
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        let mut n = name;
        if b.get(n) == Some(&b'[') {
            let index = b[n..]
                .iter()
                .take(MAX_INDEX)
                .take_while(|c| !matches!(c, b']' | b' ' | b'\t' | b'\n'))
                .count();
            if b.get(n + index) != Some(&b']') {
                return false;
            }
            n += index + 1;
        }
        let op = match (b.get(n), b.get(n + 1)) {
            (Some(b'='), _) => 1,
            (Some(b'+'), Some(b'=')) => 2,
            _ => return false,
        };
        l.advance(name);
        l.push(Kind::Property, start);
        if l.peek() == b'[' {
            let at = l.pos();
            l.bump();
            l.push(Kind::Punctuation, at);
            while !l.at_end() && l.peek() != b']' && l.pos() < start + n {
                if l.peek() == b'$' {
                    dollar(l, self.nest, self.tick());
                } else {
                    l.bump();
                }
            }
            let at = l.pos();
            if l.eat_byte(b']') {
                l.push(Kind::Punctuation, at);
            }
        }
        let at = l.pos();
        l.advance(op);
        l.push(Kind::Operator, at);
        if l.peek() == b'(' {
            let at = l.pos();
            l.bump();
            l.push(Kind::Punctuation, at);
            self.array = true;
        } else if !is_term(l.peek()) {
            let kind = if digits_word(l) {
                Kind::Number
            } else {
                Kind::Plain
            };
            self.lex_word(l, kind);
        }
        true
    }

    /// The kind of an argument: `-flag` (an operator in a test), all
    /// digits, or plain.
    fn arg_kind(&self, l: &Lexer) -> Kind {
        if l.peek() == b'-' && !is_term(l.peek_at(1)) {
            if self.test > 0 {
                Kind::Operator
            } else {
                Kind::Constant
            }
        } else if digits_word(l) {
            Kind::Number
        } else {
            Kind::Plain
        }
    }

    /// Moves past a word, its literal text as `kind`, quoted parts and
    /// expansions in it with their own kinds.
    fn lex_word(&mut self, l: &mut Lexer<'a, '_>, kind: Kind) {
        let tick = self.tick();
        let mut from = l.pos();
        while !l.at_end() && !is_term(l.peek()) {
            match l.peek() {
                b'`' if tick => break,
                b'`' => {
                    l.push(kind, from);
                    backtick(l, self.nest);
                }
                b'\\' => {
                    l.push(kind, from);
                    let at = l.pos();
                    l.bump();
                    l.bump();
                    l.push(Kind::Escape, at);
                }
                b'\'' => {
                    l.push(kind, from);
                    l.string(b'\'', false, true);
                }
                b'"' => {
                    l.push(kind, from);
                    dquote(l, self.nest, tick);
                }
                b'$' => {
                    l.push(kind, from);
                    dollar(l, self.nest, tick);
                }
                _ => {
                    l.bump();
                    continue;
                }
            }
            from = l.pos();
        }
        l.push(kind, from);
    }
}

/// A double-quoted string at the cursor: `\$`, `\"`, `` \` ``, `\\` as
/// escapes, and the expansions in it.
fn dquote(l: &mut Lexer, nest: u8, tick: bool) {
    let mut from = l.pos();
    l.bump();
    while !l.at_end() {
        match l.peek() {
            b'"' => {
                l.bump();
                break;
            }
            b'\\' if matches!(l.peek_at(1), b'$' | b'`' | b'"' | b'\\' | b'\n') => {
                l.push(Kind::String, from);
                let at = l.pos();
                l.advance(2);
                l.push(Kind::Escape, at);
            }
            b'$' if expands(l.peek_at(1)) => {
                l.push(Kind::String, from);
                dollar(l, nest, tick);
            }
            b'`' if tick => break,
            b'`' => {
                l.push(Kind::String, from);
                backtick(l, nest);
            }
            _ => {
                l.bump();
                continue;
            }
        }
        from = l.pos();
    }
    l.push(Kind::String, from);
}

/// Whether a `$` before `b` starts an expansion in a double-quoted string.
fn expands(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'{' | b'(' | b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-'
        )
}

/// What starts with `$` at the cursor: `$VAR`, `$1`, `$?`, `${...}`,
/// `$(...)`, `$((...))`, `$'...'`, `$"..."`, or a lone `$`.
fn dollar(l: &mut Lexer, nest: u8, tick: bool) {
    let at = l.pos();
    let next = l.peek_at(1);
    if nest >= MAX_NEST && matches!(next, b'(' | b'{') {
        l.bump();
        l.push(Kind::Operator, at);
        return;
    }
    match next {
        b'(' if l.peek_at(2) == b'(' => {
            l.advance(3);
            l.push(Kind::Interpolation, at);
            arith(l, nest + 1, tick, Kind::Interpolation);
        }
        b'(' => {
            l.advance(2);
            l.push(Kind::Interpolation, at);
            substitution(l, nest);
        }
        b'{' => expansion(l, nest + 1, tick),
        b'\'' => {
            l.bump();
            l.push(Kind::String, at);
            l.string(b'\'', true, true);
        }
        b'"' => {
            l.bump();
            l.push(Kind::String, at);
            dquote(l, nest, tick);
        }
        c if c.is_ascii_alphabetic() || c == b'_' => {
            l.bump();
            l.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
            l.push(Kind::Variable, at);
        }
        c if c.is_ascii_digit() || matches!(c, b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') => {
            l.advance(2);
            l.push(Kind::Variable, at);
        }
        _ => {
            l.bump();
            l.push(Kind::Operator, at);
        }
    }
}

/// The code of a `$(` or `<(` after it, lexed as shell, and its `)`.
fn substitution(l: &mut Lexer, nest: u8) {
    if nest >= MAX_NEST {
        return;
    }
    Sh::new(nest + 1, Close::Paren).run(l);
    let at = l.pos();
    if l.eat_byte(b')') {
        l.push(Kind::Interpolation, at);
    }
}

/// Backticks at the cursor, the code in them lexed as shell.
fn backtick(l: &mut Lexer, nest: u8) {
    let at = l.pos();
    l.bump();
    l.push(Kind::Interpolation, at);
    if nest >= MAX_NEST {
        return;
    }
    Sh::new(nest + 1, Close::Tick).run(l);
    let at = l.pos();
    if l.eat_byte(b'`') {
        l.push(Kind::Interpolation, at);
    }
}

/// `${NAME:-default}` at the cursor, as a variable; quoted parts and
/// expansions in it with their own kinds.
fn expansion(l: &mut Lexer, nest: u8, tick: bool) {
    let mut from = l.pos();
    l.advance(2);
    while !l.at_end() {
        match l.peek() {
            b'}' => {
                l.bump();
                break;
            }
            b'$' => {
                l.push(Kind::Variable, from);
                dollar(l, nest, tick);
            }
            b'"' => {
                l.push(Kind::Variable, from);
                dquote(l, nest, tick);
            }
            b'\'' => {
                l.push(Kind::Variable, from);
                l.string(b'\'', false, true);
            }
            b'\\' => {
                l.push(Kind::Variable, from);
                let at = l.pos();
                l.bump();
                l.bump();
                l.push(Kind::Escape, at);
            }
            b'`' if tick => break,
            b'`' => {
                l.push(Kind::Variable, from);
                backtick(l, nest);
            }
            _ => {
                l.bump();
                continue;
            }
        }
        from = l.pos();
    }
    l.push(Kind::Variable, from);
}

/// Arithmetic after `((` or `$((`, to the closing `))` (as `close`):
/// numbers, names as variables, operators.
fn arith(l: &mut Lexer, nest: u8, tick: bool, close: Kind) {
    let mut depth = 0u32;
    while !l.at_end() {
        let at = l.pos();
        match l.peek() {
            b')' if depth == 0 => {
                if !l.eat("))") {
                    l.bump();
                }
                l.push(close, at);
                return;
            }
            b')' | b'(' => {
                depth = if l.peek() == b'(' {
                    depth + 1
                } else {
                    depth - 1
                };
                l.bump();
                l.push(Kind::Punctuation, at);
            }
            b'0'..=b'9' => {
                // `42`, `0x1F`, `2#101`.
                l.eat_while(|c| c.is_ascii_alphanumeric() || c == '#' || c == '_');
                l.push(Kind::Number, at);
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                l.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
                l.push(Kind::Variable, at);
            }
            b'$' => dollar(l, nest, tick),
            b'"' => dquote(l, nest, tick),
            b'\'' => l.string(b'\'', false, true),
            b'`' if tick => return,
            b'`' => backtick(l, nest),
            b',' | b';' => {
                l.bump();
                l.push(Kind::Punctuation, at);
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' | b'&' | b'|' | b'^'
            | b'~' | b'?' | b':' => {
                l.eat_while(|c| "+-*/%<>=!&|^~?:".contains(c));
                l.push(Kind::Operator, at);
            }
            _ => l.bump(),
        }
    }
}

/// A here-document's body from the cursor (a line's start) through its
/// closing line: the text as a string (with expansions unless quoted), the
/// closing marker as a special string.
fn heredoc_body(l: &mut Lexer, h: Heredoc, nest: u8) {
    while !l.at_end() {
        let rest = l.rest();
        let len = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..len];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let text = if h.strip {
            line.trim_start_matches('\t')
        } else {
            line
        };
        if text == h.delim {
            let at = l.pos();
            l.advance(line.len() - text.len());
            l.push(Kind::String, at);
            let at = l.pos();
            l.advance(text.len());
            l.push(Kind::Regex, at);
            return;
        }
        let at = l.pos();
        if h.quoted {
            l.advance((len + 1).min(rest.len()));
            l.push(Kind::String, at);
        } else {
            body_line(l, nest);
        }
    }
}

/// One line of an unquoted here-document's body, through its newline.
fn body_line(l: &mut Lexer, nest: u8) {
    let mut from = l.pos();
    while !l.at_end() {
        match l.peek() {
            b'\n' => {
                l.bump();
                break;
            }
            b'\\' if matches!(l.peek_at(1), b'$' | b'`' | b'\\') => {
                l.push(Kind::String, from);
                let at = l.pos();
                l.advance(2);
                l.push(Kind::Escape, at);
            }
            b'$' if expands(l.peek_at(1)) => {
                l.push(Kind::String, from);
                dollar(l, nest, false);
            }
            b'`' => {
                l.push(Kind::String, from);
                backtick(l, nest);
            }
            _ => {
                l.bump();
                continue;
            }
        }
        from = l.pos();
    }
    l.push(Kind::String, from);
}

/// The start of a line in a console session: a `$ ` prompt (left to the
/// lexer), a `> ` continuation prompt, or a line of output (plain).
fn console_line(l: &mut Lexer) {
    if l.starts_with("$ ") {
        return;
    }
    if l.starts_with("> ") {
        let at = l.pos();
        l.bump();
        l.push(Kind::Punctuation, at);
    } else {
        l.eat_line();
    }
}

/// Whether `b` ends a word (0: the end of the code, or a NUL).
fn is_term(b: u8) -> bool {
    matches!(
        b,
        0 | b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

/// Whether the code at the cursor is the word `s` on its own.
fn standalone(l: &Lexer, s: &str) -> bool {
    l.starts_with(s) && is_term(l.peek_at(s.len()))
}

/// The word at the cursor when it is only ASCII letters, digits and `_`;
/// empty otherwise.
fn bare_word<'a>(l: &Lexer<'a, '_>) -> &'a str {
    let rest = l.rest();
    let n = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if is_term(rest.as_bytes().get(n).copied().unwrap_or(0)) {
        &rest[..n]
    } else {
        ""
    }
}

/// Whether the word at the cursor is all digits (a file descriptor's
/// number before `>` included).
fn digits_word(l: &Lexer) -> bool {
    let rest = l.rest().as_bytes();
    let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    n > 0 && is_term(rest.get(n).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::super::toolkit::{
        each_lexes, every_prefix, kind_of_trimmed, kinds, long_runs_lex, only_plain, tokens, Kind,
    };
    use super::lex;

    #[test]
    fn benchmark_sample() {
        let code = "for f in *.garden_river; do\n  data_v=$(wc -l < \"$f\")\n  echo \"$f has ${data_v} lines\"\n  [ \"${data_v}\" -gt 42 ] && mv \"$f\" archive/\ndone\n";
        let t = tokens(code, lex);
        assert_eq!(kinds(&t, "for"), [Kind::Keyword]);
        assert_eq!(kinds(&t, "f"), [Kind::Property]);
        assert_eq!(kinds(&t, "in"), [Kind::Keyword]);
        assert!(only_plain(&t, "*.garden_river"), "*.garden_river");
        assert_eq!(kind_of_trimmed(&t, ";"), Some(Kind::Operator));
        assert_eq!(kinds(&t, "do"), [Kind::Keyword]);
        assert_eq!(kind_of_trimmed(&t, "data_v"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "="), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "$("), Some(Kind::Interpolation));
        assert_eq!(kind_of_trimmed(&t, "wc"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "-l"), Some(Kind::Constant));
        assert_eq!(kind_of_trimmed(&t, "<"), Some(Kind::Operator));
        assert_eq!(kinds(&t, "$f"), [Kind::Variable; 3]);
        assert_eq!(kind_of_trimmed(&t, ")"), Some(Kind::Interpolation));
        assert_eq!(kind_of_trimmed(&t, "echo"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, " has "), Some(Kind::String));
        assert_eq!(kinds(&t, "${data_v}"), [Kind::Variable; 2]);
        assert_eq!(kind_of_trimmed(&t, "["), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "-gt"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "42"), Some(Kind::Number));
        assert_eq!(kind_of_trimmed(&t, "]"), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "&&"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "mv"), Some(Kind::Function));
        assert!(only_plain(&t, "archive/"), "archive/");
        assert_eq!(kind_of_trimmed(&t, "done"), Some(Kind::Keyword));
    }

    #[test]
    fn comments_only_at_a_word_start() {
        let t = tokens("#!/bin/sh\necho $# ${#x} a#b # note\n", lex);
        assert_eq!(kind_of_trimmed(&t, "#!/bin/sh"), Some(Kind::Comment));
        assert_eq!(kind_of_trimmed(&t, "$#"), Some(Kind::Variable));
        assert_eq!(kind_of_trimmed(&t, "${#x}"), Some(Kind::Variable));
        assert!(only_plain(&t, "a#b"), "a#b");
        assert_eq!(kind_of_trimmed(&t, "# note"), Some(Kind::Comment));
    }

    #[test]
    fn strings_escapes_and_expansions() {
        let t = tokens(
            r#"printf '%s\n' "a\"b $1 $@ $? `date` ${x:-"d"} \q" $'tab\there'"#,
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "printf"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, r"'%s\n'"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "\\\""), Some(Kind::Escape));
        for v in ["$1", "$@", "$?", "${x:-"] {
            assert_eq!(kind_of_trimmed(&t, v), Some(Kind::Variable), "{v}");
        }
        assert_eq!(kind_of_trimmed(&t, "`"), Some(Kind::Interpolation));
        assert_eq!(kind_of_trimmed(&t, "date"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "\"d\""), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, " \\q\""), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "$'tab"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "\\t"), Some(Kind::Escape));
    }

    #[test]
    fn command_names_keywords_and_assignments() {
        let t = tokens("LANG=C sort -u file | uniq -c\nif true; then cd /; else exit 1; fi\nexport PATH=\"$HOME/bin\" EDITOR\nlocal -r n=5\nfunction greet { return 0; }\nlog() { echo \"$@\" >&2; }\narr=(one two)\n(( i += 1 ))\nx=$(( i * 2 ))\n", lex);
        assert_eq!(kind_of_trimmed(&t, "LANG"), Some(Kind::Property));
        assert!(only_plain(&t, "C"), "C");
        assert_eq!(kind_of_trimmed(&t, "sort"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "-u"), Some(Kind::Constant));
        assert_eq!(kind_of_trimmed(&t, "|"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "uniq"), Some(Kind::Function));
        for k in ["if", "then", "else", "fi", "export", "local", "function"] {
            assert_eq!(kind_of_trimmed(&t, k), Some(Kind::Keyword), "{k}");
        }
        for f in ["true", "cd", "exit", "greet", "return", "log"] {
            assert_eq!(kind_of_trimmed(&t, f), Some(Kind::Function), "{f}");
        }
        assert!(only_plain(&t, "/"), "/");
        assert_eq!(kind_of_trimmed(&t, "PATH"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "$HOME"), Some(Kind::Variable));
        assert_eq!(kind_of_trimmed(&t, "EDITOR"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "n"), Some(Kind::Property));
        assert_eq!(kind_of_trimmed(&t, "5"), Some(Kind::Number));
        assert_eq!(kind_of_trimmed(&t, "{"), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, ">&"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "2"), Some(Kind::Number));
        assert_eq!(kind_of_trimmed(&t, "arr"), Some(Kind::Property));
        assert!(only_plain(&t, "one"), "one");
        assert_eq!(kind_of_trimmed(&t, "(("), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "+="), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "$(("), Some(Kind::Interpolation));
        assert_eq!(kinds(&t, "i"), [Kind::Variable; 2]);
        assert_eq!(kind_of_trimmed(&t, "))"), Some(Kind::Punctuation));
    }

    #[test]
    fn case_statements_and_tests() {
        let t = tokens("case \"$1\" in\n  start|up) run ;;\n  *) usage ;;\nesac\n[[ -n $x && $x == y* ]] || die\n", lex);
        assert_eq!(kind_of_trimmed(&t, "case"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "in"), Some(Kind::Keyword));
        assert!(only_plain(&t, "start"), "start");
        assert!(only_plain(&t, "up"), "up");
        assert_eq!(kind_of_trimmed(&t, "run"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, "usage"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, ";;"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "esac"), Some(Kind::Keyword));
        assert_eq!(kind_of_trimmed(&t, "[["), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "-n"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "=="), Some(Kind::Operator));
        assert!(only_plain(&t, "y*"), "y*");
        assert_eq!(kind_of_trimmed(&t, "]]"), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "die"), Some(Kind::Function));
    }

    #[test]
    fn here_documents() {
        let t = tokens(
            "cat <<EOF > out\nHello $USER\nEOF\ncat <<-'END'\n\tno $x here\n\tEND\necho done\n",
            lex,
        );
        assert_eq!(kind_of_trimmed(&t, "<<"), Some(Kind::Operator));
        assert_eq!(kinds(&t, "EOF"), [Kind::Regex; 2]);
        assert!(only_plain(&t, "out"), "out");
        assert_eq!(kind_of_trimmed(&t, "Hello "), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "$USER"), Some(Kind::Variable));
        assert_eq!(kind_of_trimmed(&t, "<<-"), Some(Kind::Operator));
        assert_eq!(kind_of_trimmed(&t, "'END'"), Some(Kind::Regex));
        assert_eq!(kind_of_trimmed(&t, "\tno $x here\n\t"), Some(Kind::String));
        assert_eq!(kind_of_trimmed(&t, "END"), Some(Kind::Regex));
        assert_eq!(kind_of_trimmed(&t, "echo"), Some(Kind::Function));
    }

    #[test]
    fn console_prompts() {
        let t = tokens(
            "$ cargo build --release\n   Compiling blog's \"x\" (0.1)\n$ ls |\n> wc\n",
            lex,
        );
        assert_eq!(kinds(&t, "$"), [Kind::Punctuation; 2]);
        assert_eq!(kind_of_trimmed(&t, "cargo"), Some(Kind::Function));
        assert!(only_plain(&t, "build"), "build");
        assert_eq!(kind_of_trimmed(&t, "--release"), Some(Kind::Constant));
        // Output is plain, quotes and all.
        assert!(t.contains(&(Kind::Plain, "\n   Compiling blog's \"x\" (0.1)\n".into())));
        assert_eq!(kind_of_trimmed(&t, "ls"), Some(Kind::Function));
        assert_eq!(kind_of_trimmed(&t, ">"), Some(Kind::Punctuation));
        assert_eq!(kind_of_trimmed(&t, "wc"), Some(Kind::Function));
        // Not a prompt inside a line.
        let t = tokens("echo $ x\n", lex);
        assert_eq!(kind_of_trimmed(&t, "$"), Some(Kind::Operator));
    }

    #[test]
    fn every_prefix_lexes() {
        let code = "\u{feff}#!/usr/bin/env bash\nset -euo pipefail # ✓ 🚀\nNAME=\"wörld\" arr=(a 'b c')\nfor ((i=0; i<3; i++)); do echo \"$i ${arr[$i]:-x} $(date +%s) `id -u`\"; done\ncat <<-EOF >&2\n\tHi $NAME \\$ $((1 + 2))\n\tEOF\ncase $1 in (x|y) :;; *) ls 2>/dev/null | wc -l ;; esac\n[[ -f $f ]] && printf $'a\\tb\\n' || exit 1\r\n$ echo é\n";
        every_prefix(code, lex);
    }

    #[test]
    fn broken_input_keeps_every_byte() {
        each_lexes(
            &[
                "\"",
                "'",
                "`",
                "\\",
                "$",
                "${",
                "$(",
                "$((",
                "$'",
                "<<",
                "<<EOF\nbody",
                "<<'",
                "cat <<EOF <<END <<A <<B <<C\nx\n",
                "((",
                "[[",
                "case x in",
                "esac )))) ;;",
                "a[",
                "a[1",
                "f() {",
                "\0 \0",
                "é=ü 🚀 $é",
                "echo\r\n\tx\r\n",
                "\u{feff}",
                "`$(`",
                "$(`)",
            ],
            lex,
        );
        // Deep nesting ends in plain text, not a stack overflow.
        for unit in ["$(", "${", "`$(", "\"$(", "$(("] {
            tokens(&unit.repeat(5000), lex);
        }
        let t = tokens("echo \"open\nls", lex);
        assert_eq!(kind_of_trimmed(&t, "\"open\nls"), Some(Kind::String));
    }

    #[test]
    fn long_runs_lex_in_one_pass() {
        // The `]` of an element's assignment is looked for only so far
        // past a name's `[`.
        long_runs_lex(&["a[;", "a[(", "a[&", "$(a[)", "`a[`"], lex);
    }
}
