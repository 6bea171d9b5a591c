//! `claimtrail serve`: checks where it may listen and who may sign in, opens the store, and
//! hands over to [`crate::serve`].

use super::args::ServeArgs;
use super::{Context, Run};
use crate::error::Error;
use crate::serve::{Options, desk::Desk, security};

impl Run for ServeArgs {
    fn run(self, ctx: &Context) -> Result<(), Error> {
        let local_reviewer = super::verify::user_name();
        let accounts = match &self.token_file {
            Some(path) => {
                Some(security::read_token_file(path, &local_reviewer).map_err(Error::Usage)?)
            }
            None => None,
        };
        if !self.addr.ip().is_loopback() && accounts.is_none() {
            return Err(Error::Usage(format!(
                "serving on {} (not loopback) needs --token-file: anyone who can reach it could \
                 record verdicts",
                self.addr
            )));
        }
        let desk = Desk::open(ctx.db.clone(), ctx.clock)?;
        crate::serve::serve(
            desk,
            Options {
                addr: self.addr,
                accounts,
                local_reviewer,
            },
        )
    }
}
