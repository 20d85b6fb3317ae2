//! Code links: the page recognises one, reads it (clearing the code from the address bar at
//! once, and keeping it in memory), shows whom it signs in, and completes it only when the
//! page asks (a button), with the passwordless OTP grant.

use super::Client;
use crate::error::SdkError;
use crate::flows::code_link::{self, CodeLink};
use crate::flows::passwordless;
use crate::flows::{Identity, SignInParams};
use crate::platform::Platform;

impl<P: Platform> Client<P> {
    /// The code link in `url` (the page's address when `None`), and the address without it.
    fn code_link_in(&self, url: Option<String>) -> (Option<CodeLink>, Option<String>) {
        let href = url.or_else(|| self.platform.address()).unwrap_or_default();
        let (params, clean) = self.platform.code_link_of(&href);
        (params.read(&self.options, self.platform.unicode()), clean)
    }

    /// Whether `url` (the page's address when `None`) is a code link, or one was read and not
    /// completed yet.
    pub fn is_code_link(&self, url: Option<String>) -> bool {
        self.code_link.borrow().is_some() || self.code_link_in(url).0.is_some()
    }

    /// Reads the code link (and, from the address bar, removes it there at once), keeps it
    /// for `complete_code_link`, and answers whom it signs in.
    pub fn read_code_link(&self, url: Option<String>) -> Result<P::Json, SdkError> {
        let from_address_bar = url.is_none();
        let (link, clean) = self.code_link_in(url);
        if let (true, Some(clean), Some(_)) = (from_address_bar, clean, &link) {
            self.platform.replace_address(&clean);
        }
        let link = match link {
            Some(link) => link,
            None => self
                .code_link
                .borrow()
                .clone()
                .ok_or_else(code_link::not_a_code_link)?,
        };
        let info = self.platform.write(&link.info()).ok_or_else(|| {
            SdkError::unexpected_response("the link could not be handed to the page")
        })?;
        *self.code_link.borrow_mut() = Some(link);
        Ok(info)
    }

    /// Exchanges the code of the link read last (reading the address bar first if none was),
    /// for the address the link names or, when it names none, the one in `params`. The link
    /// is spent whatever the answer; a used or expired one is `link_used_or_expired`.
    pub async fn complete_code_link(&self, params: SignInParams) -> Result<P::Json, SdkError> {
        if self.code_link.borrow().is_none() {
            self.read_code_link(None)?;
        }
        let link = self
            .code_link
            .borrow_mut()
            .take()
            .ok_or_else(code_link::not_a_code_link)?;
        let identity = match link.identity.clone() {
            Some(identity) => identity,
            None => match Identity::read(&params, self.platform.unicode()) {
                Ok(identity) => identity,
                Err(wrong) => {
                    // The page named no address (or a wrong one): the link stays for another try.
                    *self.code_link.borrow_mut() = Some(link);
                    return Err(wrong);
                }
            },
        };
        let checked = passwordless::otp_grant(&self.options, &identity, link.otp);
        self.verified(checked).await.map_err(code_link::refused)
    }
}
