" Vim syntax file
" Language:    formflow (.flow files: 1177.se e-service flows)
" Maintainer:  the formflow project
" Reference:   dsl/REFERENCE.md
"
" Install: copy to ~/.vim/syntax/formflow.vim (Neovim: ~/.config/nvim/syntax/) and detect the
" file type, e.g. in ~/.vim/ftdetect/formflow.vim:
"   autocmd BufRead,BufNewFile *.flow setfiletype formflow

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync minlines=200

" Characters refused everywhere (FF002 control, FF003 bidi control, FF004 invisible), and any
" non-ASCII character outside texts and comments (FF005).
syn match   formflowNonAscii      "[^\x00-\x7f]"
syn match   formflowBadChar       "[\x01-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad\u180e]" contained
syn match   formflowBadChar       "[\x01-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad\u180e]"

" Keywords. The words that double as ISO 639 language codes (no, is, in, or) are matches, so that
" a translation code before a text ("Hej" no "Hei") wins over them.
syn keyword formflowDeclaration   flow outcome question option page let
syn keyword formflowConditional   if else
syn keyword formflowStatement     end trigger
syn keyword formflowSetting       version languages intro levels
syn keyword formflowAttribute     help optional unit max_length decimals accept terms exclusive
syn match   formflowAttribute     "\<urgency\>"
syn match   formflowSetting       "\<urgency\>\(\s\+levels\>\)\@="
syn match   formflowAttribute     "\<\(min\|max\)\>\(\s*(\)\@!"
syn match   formflowOperatorWord  "\<\(and\|or\|not\|is\|in\|has\)\>"
syn match   formflowConstant      "\<\(yes\|no\|today\)\>"

" Names after their keyword.
syn match   formflowFlowId        "\(\<flow\s\+\)\@<=\h\w*"
syn match   formflowDefinition    "\(\<\(question\|let\)\s\+\)\@<=\h\w*"
syn match   formflowPageId        "\(\<page\s\+\)\@<=\h\w*"
syn match   formflowOptionCode    "\(\<option\s\+\)\@<=\h\w*"
syn match   formflowOutcomeId     "\(\<\(outcome\|end\|trigger\)\s\+\)\@<=\h\w*"
syn match   formflowUrgencyLevel  "\(\<urgency\s\+\)\@<=\(levels\>\)\@!\h\w*"
syn match   formflowUrgencyLevel  "\(\<urgency\s\+levels\s\+\(\h\w*\s*,\s*\)*\)\@<=\h\w*"
syn match   formflowQuestionType  "\(:\s*\)\@<=\<\(yes_no\|single\|multiple\|integer\|decimal\|text\|date\|acknowledge\|info\|attachment\)\>"
syn match   formflowOutcomeKind   "\(:\s*\)\@<=\<\(emergency\|self_care\|chat\|video\|visit\|booking\|not_eligible\|information\)\>"

" Verified citizen facts and built-in functions.
syn match   formflowCitizen       "\<citizen\>"
syn match   formflowFact          "\(\<citizen\s*\.\s*\)\@<=\(age\|birth_date\|birth_year\|is_proxy\|region\|has_invitation\)\>"
syn match   formflowFunction      "\<\(round\|min\|max\|abs\|count\|answered\|add_months\|years_between\)\>\ze\s*("

" Literals: numbers, dates (YYYY-MM-DD), durations (12 months).
syn match   formflowNumber        "\<\d\+\(\.\d\+\)\=\>"
syn match   formflowDate          "\<\d\{4}-\d\{2}-\d\{2}\>"
syn match   formflowUnit          "\(\<\d\+\s*\)\@<=\<\(days\=\|weeks\=\|months\=\|years\=\)\>"

" Operators.
syn match   formflowOperator      "==\|!=\|<=\|>=\|<\|>\|=\|+\|-\|\*\|/"

" Language codes: in `languages sv, en` and before a translated text.
syn match   formflowLanguage      "\<[a-z]\{2,3}\>\ze\s*\""
syn match   formflowLanguage      "\(\<languages\s\+\([a-z]\{2,3}\s*,\s*\)*\)\@<=[a-z]\{2,3}\>"

" Texts: "..." on one line, """...""" over several lines; escapes \" \\ \n.
syn match   formflowBadEscape     +\\.+ contained
syn match   formflowEscape        +\\["\\n]+ contained
syn region  formflowString        start=+"+ skip=+\\.+ end=+"+ oneline contains=formflowBadEscape,formflowEscape,formflowBadChar
syn region  formflowLongString    start=+"""+ skip=+\\.+ end=+"""+ contains=formflowBadEscape,formflowEscape,formflowBadChar

" Comments.
syn keyword formflowTodo          TODO FIXME XXX contained
syn match   formflowComment       "#.*$" contains=formflowTodo,formflowBadChar,@Spell

hi def link formflowDeclaration   Keyword
hi def link formflowConditional   Conditional
hi def link formflowStatement     Statement
hi def link formflowSetting       PreProc
hi def link formflowAttribute     StorageClass
hi def link formflowOperatorWord  Operator
hi def link formflowOperator      Operator
hi def link formflowConstant      Boolean
hi def link formflowFlowId        Identifier
hi def link formflowDefinition    Identifier
hi def link formflowPageId        Identifier
hi def link formflowOptionCode    Constant
hi def link formflowOutcomeId     Label
hi def link formflowUrgencyLevel  Constant
hi def link formflowQuestionType  Type
hi def link formflowOutcomeKind   Type
hi def link formflowCitizen       Special
hi def link formflowFact          Special
hi def link formflowFunction      Function
hi def link formflowNumber        Number
hi def link formflowDate          Number
hi def link formflowUnit          Type
hi def link formflowLanguage      Tag
hi def link formflowString        String
hi def link formflowLongString    String
hi def link formflowEscape        SpecialChar
hi def link formflowBadEscape     Error
hi def link formflowBadChar       Error
hi def link formflowNonAscii      Error
hi def link formflowComment       Comment
hi def link formflowTodo          Todo

let b:current_syntax = "formflow"

let &cpo = s:cpo_save
unlet s:cpo_save
